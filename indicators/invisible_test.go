package indicators

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// A question, an answer, a rule's name or message holding a character
// that is not drawn but turns what follows round (U+202E) or hides in it
// (U+200B, U+2028) is refused at its field, nothing written.
func TestInvisibleCharactersRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ids, rep := seededReport(t, db)
		prov := accounts.Actor{UserID: 8, Email: "province@example.org", IP: "192.0.2.8"}
		_, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], "Số hộ \u202egiảm\u202c?")
		wantProblems(t, err, "question", ErrInvisible)
		wantAudit(t, db, "indicators.followup.ask", 0, prov, "", "")
		f, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], "Số hộ giảm?")
		if err != nil {
			t.Fatal(err)
		}
		_, err = AnswerFollowup(ctx, db, prov, f.ID, "Đúng\u200b vậy")
		wantProblems(t, err, "answer", ErrInvisible)
		wantAudit(t, db, "indicators.followup.answer", 0, prov, "", "")

		_, err = AddRule(ctx, db, testAdmin, NewRule{NameVI: "Chữ ký \u202esố", NameEN: "Signature", MessageVI: "m", MessageEN: "line\u2028break",
			Left: "ADULT_SIGNATURE", Op: "<=", Right: "ADULT_SMARTPHONE"})
		wantProblems(t, err, "name_vi", ErrInvisible, "message_en", ErrInvisible)
		wantAudit(t, db, "indicators.rule.add", 0, testAdmin, "", "")
	})
}
