package assessments

import "digiportal/indicators"

// The indicators part reads completed assessments through its interface.
var _ indicators.MonthlyCounter = (*Counter)(nil)
