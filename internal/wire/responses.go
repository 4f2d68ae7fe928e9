package wire

import "encoding/json"

// The answer types below follow one rule: a member the caller cannot do
// without (an order id or txn id, an amount, a status, the URL a call exists
// to return) uses a strict type (Str, Int, Paise) and fails the answer when
// it cannot be read; every other member uses a best-effort type (Text,
// LaxInt, Bool, Time, Obj) that never fails.

// AccountStatus is the answer of /api/check_status.php.
type AccountStatus struct {
	Envelope
	Data *struct {
		OwnerName  Text     `json:"owner_name"`
		APIBalance OptPaise `json:"api_balance"`
		APIStatus  OnlyStr  `json:"api_status"`
		PlanName   Text     `json:"plan_name"`
		BindIP     Text     `json:"bind_ip"`
		YourIP     Text     `json:"your_ip"`
		IPStatus   Text     `json:"ip_status"`
	} `json:"data"`
}

// Balance is the answer of /api/balance.php.
type Balance struct {
	Envelope
	Balance  OptPaise `json:"balance"`
	Username Text     `json:"username"`
}

// Agent is the answer of the NSDL agent onboarding call.
type Agent struct {
	Envelope
	Data *struct {
		TxnID   Str `json:"txn_id"`
		AgentID ID  `json:"agent_id"`
	} `json:"data"`
}

// AccountOpeningUser is the "user" member of an account opening answer.
type AccountOpeningUser struct {
	TxnID      Str    `json:"txn_id"`
	CustomerID LaxInt `json:"customer_id"`
}

// AccountOpening is the answer of the NSDL account opening call: data is the
// redirect URL.
type AccountOpening struct {
	Envelope
	Data OnlyStr                 `json:"data"`
	User Obj[AccountOpeningUser] `json:"user"`
}

// BankAccount is one NSDL bank account record.
type BankAccount struct {
	ID          LaxInt `json:"id"`
	AccountType LaxInt `json:"account_type"`
	TxnID       Str    `json:"txn_id"`
	FirstName   Text   `json:"first_name"`
	MiddleName  Text   `json:"middle_name"`
	LastName    Text   `json:"last_name"`
	Email       Text   `json:"email"`
	Phone       Text   `json:"phone"`
	PAN         Text   `json:"pancard"`
	Pincode     Text   `json:"pincode"`
	Completed   Bool   `json:"is_completed"`
	Message     Text   `json:"message"`
	Status      Int    `json:"status"`
	Date        Time   `json:"date"`
	Refunded    Bool   `json:"is_refunded"`
	CreatedAt   Time   `json:"created_at"`
	UpdatedAt   Time   `json:"updated_at"`
}

// BankAccountAnswer is the answer of the account status and details calls.
// Data is raw because a failure carries an ErrorData object there.
type BankAccountAnswer struct {
	Envelope
	Data json.RawMessage `json:"data"`
}

// IncompleteAccount is the answer of the incomplete account URL call.
type IncompleteAccount struct {
	Envelope
	OrderID    Str     `json:"order_id"`
	TxnID      Str     `json:"txn_id"`
	AccountURL OnlyStr `json:"account_url"`
	Status     State   `json:"status_in_db"`
}

// WalletQR is the answer of the wallet load request.
type WalletQR struct {
	Envelope
	// Amount is a top-level amount, which the document does not show but
	// a back end may add: it must then be the amount asked.
	Amount OptPaise `json:"amount"`
	Data   *struct {
		OrderID           ID      `json:"order_id"`
		Amount            Paise   `json:"amount"`
		QRURL             OnlyStr `json:"qr_url"`
		UPIID             Text    `json:"upi_id"`
		AccountHolderName Text    `json:"account_holder_name"`
		TxString          OnlyStr `json:"tx_string"`
		Status            State   `json:"status"`
	} `json:"data"`
}

// WalletPayment is the answer of the wallet payment status call.
type WalletPayment struct {
	Envelope
	// OrderID is a top-level order id, which the document does not show
	// but a back end may add: it must then name the same order as data's.
	OrderID Str `json:"order_id"`
	Data    *struct {
		OrderID    Str      `json:"order_id"`
		Amount     OptPaise `json:"amount"`
		Status     State    `json:"status"`
		DateTime   Time     `json:"date_time"`
		Bank       Text     `json:"bank"`
		Mode       Text     `json:"mode"`
		Remark     Text     `json:"remark"`
		NewBalance Paise    `json:"new_balance"`
	} `json:"data"`
}

// PANApplication is the answer of the PAN request and resume calls.
type PANApplication struct {
	Envelope
	Data *struct {
		TxID    Str     `json:"txid"`
		URL     OnlyStr `json:"url"`
		Number  Text    `json:"number"`
		OrderID Str     `json:"orderid"`
	} `json:"data"`
}

// PANStatusData is the "data" member of a PAN status answer.
type PANStatusData struct {
	Status    State    `json:"status"`
	OrderID   Str      `json:"orderid"`
	TxID      Str      `json:"txid"`
	Amount    OptPaise `json:"amount"`
	OpID      Text     `json:"opid"`
	Number    Text     `json:"number"`
	CreatedAt Time     `json:"created_at"`
	UpdatedAt Time     `json:"updated_at"`
}

// PANStatus is the answer of the PAN status call.
type PANStatus struct {
	Envelope
	OrderID   Str            `json:"order_id"`
	Reference Text           `json:"reference"`
	Number    Text           `json:"number"`
	Amount    OptPaise       `json:"amount"`
	DateTime  Time           `json:"date_time"`
	Data      *PANStatusData `json:"data"`
}

// Meta is the "meta" member of the Aadhaar answers.
type Meta struct {
	RequestID Text `json:"request_id"`
	Time      Time `json:"time"`
}

// AadhaarOTP is the answer of the Aadhaar send-OTP call.
type AadhaarOTP struct {
	Envelope
	Data *struct {
		RequestID ID    `json:"request_id"`
		Aadhaar   Text  `json:"aadhaar"`
		Status    State `json:"status"`
	} `json:"data"`
	Meta Obj[Meta] `json:"meta"`
}

// AadhaarDetails is the "aadhaar_details" member of a verification answer.
type AadhaarDetails struct {
	FullName Text `json:"full_name"`
	DOB      Text `json:"dob"`
	Gender   Text `json:"gender"`
	Address  Text `json:"address"`
}

// AadhaarVerification is the answer of the Aadhaar verify-OTP call.
type AadhaarVerification struct {
	Envelope
	Data *struct {
		RequestID Str                 `json:"request_id"`
		Status    State               `json:"status"`
		Details   Obj[AadhaarDetails] `json:"aadhaar_details"`
	} `json:"data"`
	Meta Obj[Meta] `json:"meta"`
}
