package wire

import "encoding/json"

// AccountStatus is the answer of /api/check_status.php.
type AccountStatus struct {
	Envelope
	Data *struct {
		OwnerName  Str   `json:"owner_name"`
		APIBalance Paise `json:"api_balance"`
		APIStatus  Str   `json:"api_status"`
		PlanName   Str   `json:"plan_name"`
		BindIP     Str   `json:"bind_ip"`
		YourIP     Str   `json:"your_ip"`
		IPStatus   Str   `json:"ip_status"`
	} `json:"data"`
}

// Balance is the answer of /api/balance.php.
type Balance struct {
	Envelope
	Balance  Paise `json:"balance"`
	Username Str   `json:"username"`
}

// Agent is the answer of the NSDL agent onboarding call.
type Agent struct {
	Envelope
	Data *struct {
		TxnID   Str `json:"txn_id"`
		AgentID Str `json:"agent_id"`
	} `json:"data"`
}

// AccountOpening is the answer of the NSDL account opening call: data is the
// redirect URL.
type AccountOpening struct {
	Envelope
	Data Str `json:"data"`
	User *struct {
		TxnID      Str `json:"txn_id"`
		CustomerID Int `json:"customer_id"`
	} `json:"user"`
}

// BankAccount is one NSDL bank account record.
type BankAccount struct {
	ID          Int  `json:"id"`
	AccountType Int  `json:"account_type"`
	TxnID       Str  `json:"txn_id"`
	FirstName   Str  `json:"first_name"`
	MiddleName  Str  `json:"middle_name"`
	LastName    Str  `json:"last_name"`
	Email       Str  `json:"email"`
	Phone       Str  `json:"phone"`
	PAN         Str  `json:"pancard"`
	Pincode     Str  `json:"pincode"`
	Completed   Bool `json:"is_completed"`
	Message     Str  `json:"message"`
	Status      Int  `json:"status"`
	Date        Time `json:"date"`
	Refunded    Bool `json:"is_refunded"`
	CreatedAt   Time `json:"created_at"`
	UpdatedAt   Time `json:"updated_at"`
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
	OrderID    Str `json:"order_id"`
	TxnID      Str `json:"txn_id"`
	AccountURL Str `json:"account_url"`
	Status     Str `json:"status_in_db"`
}

// WalletQR is the answer of the wallet load request.
type WalletQR struct {
	Envelope
	Data *struct {
		OrderID           Str   `json:"order_id"`
		Amount            Paise `json:"amount"`
		QRURL             Str   `json:"qr_url"`
		UPIID             Str   `json:"upi_id"`
		AccountHolderName Str   `json:"account_holder_name"`
		TxString          Str   `json:"tx_string"`
		Status            Str   `json:"status"`
	} `json:"data"`
}

// WalletPayment is the answer of the wallet payment status call.
type WalletPayment struct {
	Envelope
	Data *struct {
		OrderID    Str   `json:"order_id"`
		Amount     Paise `json:"amount"`
		Status     Str   `json:"status"`
		DateTime   Time  `json:"date_time"`
		Bank       Str   `json:"bank"`
		Mode       Str   `json:"mode"`
		Remark     Str   `json:"remark"`
		NewBalance Paise `json:"new_balance"`
	} `json:"data"`
}

// PANApplication is the answer of the PAN request and resume calls.
type PANApplication struct {
	Envelope
	Data *struct {
		TxID    Str `json:"txid"`
		URL     Str `json:"url"`
		Number  Str `json:"number"`
		OrderID Str `json:"orderid"`
	} `json:"data"`
}

// PANStatus is the answer of the PAN status call.
type PANStatus struct {
	Envelope
	OrderID   Str   `json:"order_id"`
	Reference Str   `json:"reference"`
	Number    Str   `json:"number"`
	Amount    Paise `json:"amount"`
	DateTime  Time  `json:"date_time"`
	Data      *struct {
		Status    Str   `json:"status"`
		OrderID   Str   `json:"orderid"`
		TxID      Str   `json:"txid"`
		Amount    Paise `json:"amount"`
		OpID      Str   `json:"opid"`
		Number    Str   `json:"number"`
		CreatedAt Time  `json:"created_at"`
		UpdatedAt Time  `json:"updated_at"`
	} `json:"data"`
}

// Meta is the "meta" member of the Aadhaar answers.
type Meta struct {
	RequestID Str  `json:"request_id"`
	Time      Time `json:"time"`
}

// AadhaarOTP is the answer of the Aadhaar send-OTP call.
type AadhaarOTP struct {
	Envelope
	Data *struct {
		RequestID Str `json:"request_id"`
		Aadhaar   Str `json:"aadhaar"`
		Status    Str `json:"status"`
	} `json:"data"`
	Meta *Meta `json:"meta"`
}

// AadhaarVerification is the answer of the Aadhaar verify-OTP call.
type AadhaarVerification struct {
	Envelope
	Data *struct {
		RequestID Str `json:"request_id"`
		Status    Str `json:"status"`
		Details   *struct {
			FullName Str `json:"full_name"`
			DOB      Str `json:"dob"`
			Gender   Str `json:"gender"`
			Address  Str `json:"address"`
		} `json:"aadhaar_details"`
	} `json:"data"`
	Meta *Meta `json:"meta"`
}
