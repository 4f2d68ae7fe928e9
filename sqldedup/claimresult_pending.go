package sqldedup

// TEMPORARY: a copy of inexopay.ClaimResult until the webhooks branch with
// the root package's DedupStore lands; replaced by the real type then.

// ClaimResult is what Claim reports.
type ClaimResult int

// The results of Claim.
const (
	ClaimAcquired ClaimResult = iota + 1
	ClaimBusy
	ClaimDone
)
