package inexopay

import (
	"github.com/inexopay/inexopay-go/internal/validate"
)

// What the service files share: the checks of positional arguments and of
// nil params, the form of the calls that take only an order id, and the
// error of a success answer without its data. Every order id, positional
// or in params, is checked by validate.ID under the field name "OrderID".

// orderIDArg normalises and checks a positional order id, as the params
// structs check theirs: trimmed, then validate.ID.
func (c *Client) orderIDArg(s string) (string, error) {
	s = validate.Trim(s)
	v := c.checker()
	v.required("OrderID", s, validate.ID)
	return s, v.result()
}

// panArg normalises and checks a positional PAN.
func (c *Client) panArg(field, s string) (string, error) {
	s = validate.NormalizePAN(s)
	v := c.checker()
	v.required(field, s, validate.PAN)
	return s, v.result()
}

func nilParams(name string) error {
	return &ValidationError{Field: name, Reason: "must not be nil"}
}

// orderForm is the form of the calls that take only an order id.
type orderForm struct {
	OrderID string `url:"orderid"`
}
