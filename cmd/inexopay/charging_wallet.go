// Charging commands of the wallet: wallet-qr.

package main

import (
	"context"
	"flag"

	"github.com/inexopay/inexopay-go"
)

const walletQRHelp = "Create a wallet load of AMOUNT rupees (such as 100 or 250.50) and print\n" +
	"its UPI QR: the QR image URL and the upi:// link. INEXOPAY assigns the\n" +
	"order id; check the payment with 'inexopay wallet-status ORDER'. Asks for\n" +
	"confirmation unless -yes.\n"

type walletQRJSON struct {
	OrderID           string          `json:"order_id"`
	Amount            inexopay.Amount `json:"amount"`
	Status            inexopay.Status `json:"status,omitempty"`
	QRURL             string          `json:"qr_url"`
	UPIID             string          `json:"upi_id"`
	AccountHolderName string          `json:"account_holder_name"`
	UPIString         string          `json:"upi_string"`
}

func (c *cli) setupWalletQR(*flag.FlagSet) runFunc {
	return func(ctx context.Context, client *inexopay.Client, args []string) error {
		amount, err := inexopay.ParseAmount(args[0])
		if err != nil || amount <= 0 {
			return amountError(args[0], err)
		}
		var qr *inexopay.WalletQR
		err = c.charge("Order id", assignedByAPI+" (printed below once it answers)",
			"creates a wallet load order (UPI QR)", []field{{"Amount", rupees(amount)}},
			"INEXOPAY assigns a wallet load's order id, so it is not known: look for the load in the INEXOPAY dashboard before trying again.",
			func() (err error) {
				qr, err = client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: amount})
				return err
			})
		if err != nil {
			return err
		}
		c.id = qr.OrderID
		if qr.Amount == 0 {
			qr.Amount = amount // the answer need not repeat it: the QR is for the amount asked
		}
		if c.opts.json {
			return c.printJSON(walletQRJSON{OrderID: qr.OrderID, Amount: qr.Amount, Status: qr.Status, QRURL: qr.QRURL,
				UPIID: qr.UPIID, AccountHolderName: qr.AccountHolderName, UPIString: qr.UPIString})
		}
		return c.printFields(
			field{"Order", qr.OrderID},
			field{"Amount", rupees(qr.Amount)},
			field{"Status", string(qr.Status)},
			field{"UPI ID", qr.UPIID},
			field{"Payee", qr.AccountHolderName},
			field{"QR URL", qr.QRURL},
			field{"UPI link", qr.UPIString},
		)
	}
}
