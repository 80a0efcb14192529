package i18n

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must load on machines without a zone database

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Zone is the time zone every date and time on the portal is shown in.
const Zone = "Asia/Ho_Chi_Minh"

// Location returns the portal's time zone, loaded once for the process.
// The zone database is embedded (time/tzdata), so it always loads; the
// fixed offset is what it holds for every date the portal deals in: Viet
// Nam has kept UTC+7 without daylight saving since 1975.
var Location = sync.OnceValue(func() *time.Location {
	z, err := time.LoadLocation(Zone)
	if err != nil {
		return time.FixedZone("ICT", 7*60*60)
	}
	return z
})

// Localizer translates message IDs and formats values for one language. Each
// request gets its own, so two requests in two languages never share state.
type Localizer struct {
	Lang    Lang
	bundle  *Bundle
	msgs    *goi18n.Localizer
	printer *message.Printer
	zone    *time.Location
}

func newLocalizer(b *Bundle, l Lang) *Localizer {
	return &Localizer{
		Lang:    l,
		bundle:  b,
		msgs:    goi18n.NewLocalizer(b.msgs, string(l)),
		printer: message.NewPrinter(l.Tag()),
		zone:    Location(),
	}
}

// T returns the message id, filled with the template data given as
// alternating keys and values ("Name", name). A missing message returns the
// id itself, which the completeness test keeps from happening.
func (l *Localizer) T(id string, kv ...any) string {
	s, err := l.msgs.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: pairs(kv)})
	if err != nil {
		return id
	}
	return s
}

// N returns the plural form of message id for count, by CLDR rules. The
// message sees {{.Count}} (the number) and {{.N}} (it formatted for the
// language) besides the given pairs.
func (l *Localizer) N(id string, count int, kv ...any) string {
	data := pairs(kv)
	data["Count"] = count
	data["N"] = l.Int(int64(count))
	s, err := l.msgs.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

func pairs(kv []any) map[string]any {
	m := make(map[string]any, len(kv)/2+2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// Int formats a whole number: 1.532 in Vietnamese, 1,532 in English.
func (l *Localizer) Int(n int64) string {
	return l.printer.Sprint(number.Decimal(n))
}

// Decimal formats f with at most digits fraction digits: 45,2 / 45.2.
func (l *Localizer) Decimal(f float64, digits int) string {
	return l.printer.Sprint(number.Decimal(f, number.MaxFractionDigits(digits)))
}

// Percent formats a percentage given in percent units (45.2 → 45,2% / 45.2%),
// with at most one fraction digit.
func (l *Localizer) Percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "–"
	}
	return l.printer.Sprint(number.Percent(p/100, number.MaxFractionDigits(1)))
}

// VND formats an amount of whole đồng: 50.000 ₫ in Vietnamese, ₫50,000 in
// English, as each language's CLDR pattern places the symbol.
func (l *Localizer) VND(dong int64) string {
	digits := l.Int(dong)
	if l.Lang == EN {
		if strings.HasPrefix(digits, "-") {
			return "-₫" + digits[1:]
		}
		return "₫" + digits
	}
	return digits + "\u00a0₫"
}

// In returns t in the portal's time zone.
func (l *Localizer) In(t time.Time) time.Time { return t.In(l.zone) }

// Date formats the day of t in Asia/Ho_Chi_Minh: 26/11/2026 or 26 Nov 2026.
func (l *Localizer) Date(t time.Time) string {
	t = t.In(l.zone)
	if l.Lang == EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// DateTime formats t to the minute in Asia/Ho_Chi_Minh: 14:05 26/11/2026 or
// 26 Nov 2026, 14:05.
func (l *Localizer) DateTime(t time.Time) string {
	t = t.In(l.zone)
	if l.Lang == EN {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("15:04 02/01/2006")
}

// ISODate formats t's day in Asia/Ho_Chi_Minh for a <time datetime> attribute.
func (l *Localizer) ISODate(t time.Time) string { return t.In(l.zone).Format("2006-01-02") }
