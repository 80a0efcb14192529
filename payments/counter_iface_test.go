package payments_test

import (
	"digiportal/indicators"
	"digiportal/payments"
)

// The indicators part reads completed practice payments through its
// MonthlyCounter (source indicators.SourcePayments).
var _ indicators.MonthlyCounter = payments.PaidCounter{}
