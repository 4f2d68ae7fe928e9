package inexopay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

func TestE2EAccount(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithBalance(125050), inexopaytest.WithUsername("jojo"),
		inexopaytest.WithOwner("Your Name", "Premium Plan"))
	ctx := context.Background()

	srv.SetBoundIP("127.0.0.1")
	st, err := srv.Client().Account.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, &inexopay.AccountStatus{OwnerName: "Your Name", Balance: 125050, Status: "ACTIVE", PlanName: "Premium Plan",
		BindIP: "127.0.0.1", YourIP: "127.0.0.1", IPStatus: "MATCHED", Message: "API Status Retrieved"}, st)

	for _, c := range []*inexopay.Client{srv.Client(), srv.ClientWithAuth(inexopay.HeaderAuth(srv.APIKey, srv.Username))} {
		b, err := c.Account.Balance(ctx)
		require.NoError(t, err)
		assert.Equal(t, &inexopay.Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}, b)
	}

	// A read-only call rides out a 502 burst shorter than its retries.
	srv.InjectFault(inexopay.EndpointAccountBalance, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 2)
	b, err := srv.Client().Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Amount(125050), b.Amount)
	assert.Equal(t, 5, srv.Requests(inexopay.EndpointAccountBalance))
}
