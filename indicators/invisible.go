package indicators

import "errors"

// ErrInvisible: a question, answer, or a rule's name or message holds a
// character that is not drawn but changes what is shown around it (a
// bidirectional override can turn the rest of a line round on the review
// page, in the audit log and in a spreadsheet), a zero-width one, a
// private-use one, or a line or paragraph separator. Vietnamese and
// English need none; they come in with pasted text.
var ErrInvisible = errors.New("an invisible formatting character")
