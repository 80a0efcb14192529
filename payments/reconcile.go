package payments

import (
	"context"
	"fmt"
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

// ReconciliationRows gives yield, one at a time, the payments matching f
// (Limit and Offset ignored) as rows for matching against Stripe's balance
// report, in the order of ReconciliationColumns: amounts in whole đồng
// without separators, statuses as codes, times as ISO 8601 in
// Asia/Ho_Chi_Minh. Rows are read in batches, so an export of any size
// runs in bounded memory; the caller writes them in its format.
func ReconciliationRows(ctx context.Context, db bun.IDB, f Filter, cat *Catalogue, lang i18n.Lang, yield func([]string) error) error {
	zone := i18n.Location()
	var last int64
	for {
		var batch []Payment
		q := filtered(db.NewSelect().Model(&batch), f).Where("id > ?", last).Order("id").Limit(reconcileBatch)
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("payments.ReconciliationRows: %w", err)
		}
		for i := range batch {
			if err := yield(reconcileRow(&batch[i], cat, lang, zone)); err != nil {
				return err
			}
		}
		if len(batch) < reconcileBatch {
			break
		}
		last = batch[len(batch)-1].ID
	}
	return nil
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
		p.Ref, p.FeeCode, fee, strconv.FormatInt(p.Amount, 10), strings.ToUpper(p.Currency),
		string(p.Status), at(p.CreatedAt), at(p.PaidAt), strconv.FormatInt(p.RefundedAmount, 10),
		strconv.FormatInt(p.Net(), 10), p.SessionID, p.PaymentIntentID, strconv.FormatBool(p.Demo),
	}
}
