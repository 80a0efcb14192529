package payments

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// ReconciliationColumns are the message IDs of the reconciliation CSV's
// header, in column order; the caller translates them.
var ReconciliationColumns = []string{
	"payments.csv.ref", "payments.csv.fee_code", "payments.csv.fee", "payments.csv.amount",
	"payments.csv.currency", "payments.csv.status", "payments.csv.created_at", "payments.csv.paid_at",
	"payments.csv.refunded", "payments.csv.net", "payments.csv.session", "payments.csv.payment_intent",
	"payments.csv.demo",
}

// reconcileBatch is how many rows are read at a time, so an export of any
// size runs in bounded memory.
const reconcileBatch = 500

// WriteReconciliation writes the payments matching f (Limit and Offset
// ignored) as CSV for matching against Stripe's balance report: amounts in
// whole đồng without separators, statuses as codes, times as ISO 8601 in
// Asia/Ho_Chi_Minh. header is ReconciliationColumns translated. A UTF-8 byte
// order mark comes first so that spreadsheet programs read Vietnamese.
func WriteReconciliation(ctx context.Context, db bun.IDB, w io.Writer, f Filter, header []string, cat *Catalogue, lang i18n.Lang) error {
	if len(header) != len(ReconciliationColumns) {
		return fmt.Errorf("payments.WriteReconciliation: header has %d columns, want %d", len(header), len(ReconciliationColumns))
	}
	zone, err := time.LoadLocation(i18n.Zone)
	if err != nil {
		return fmt.Errorf("payments.WriteReconciliation: %w", err)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	var last int64
	for {
		var batch []Payment
		q := filtered(db.NewSelect().Model(&batch), f).Where("id > ?", last).Order("id").Limit(reconcileBatch)
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("payments.WriteReconciliation: %w", err)
		}
		for i := range batch {
			if err := cw.Write(reconcileRow(&batch[i], cat, lang, zone)); err != nil {
				return err
			}
		}
		if len(batch) < reconcileBatch {
			break
		}
		last = batch[len(batch)-1].ID
	}
	cw.Flush()
	return cw.Error()
}

func reconcileRow(p *Payment, cat *Catalogue, lang i18n.Lang, zone *time.Location) []string {
	fee := p.FeeCode
	if f, err := cat.Fee(p.FeeCode); err == nil {
		fee = f.Text(lang).Procedure
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zone).Format(time.RFC3339)
	}
	return []string{
		p.Ref, p.FeeCode, cell(fee), strconv.FormatInt(p.Amount, 10), strings.ToUpper(p.Currency),
		string(p.Status), at(p.CreatedAt), at(p.PaidAt), strconv.FormatInt(p.RefundedAmount, 10),
		strconv.FormatInt(p.Net(), 10), p.SessionID, p.PaymentIntentID, strconv.FormatBool(p.Demo),
	}
}

// cell keeps a text cell from being read as a formula by a spreadsheet.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
