package payments

import (
	"testing"
	"time"
)

// TestPracticeToken: the 3-D Secure step's token holds for its payment on
// any instance (each has its own event secret), for a few minutes only.
func TestPracticeToken(t *testing.T) {
	cat := mustCatalogue(t)
	a, b := NewPracticeService(NewPracticeSecret(), cat), NewPracticeService(NewPracticeSecret(), cat)
	p := &Payment{Ref: DemoRefPractice, SessionID: "cs_practice_a", PaymentIntentID: "pi_practice_a"}
	other := &Payment{Ref: DemoRefPaid, SessionID: "cs_practice_b", PaymentIntentID: "pi_practice_b"}
	now := time.Now()
	tok := a.PracticeToken(p, "3ds", now)
	if !b.CheckPracticeToken(p, "3ds", tok) {
		t.Error("another instance refuses the token")
	}
	for name, ok := range map[string]bool{
		"other payment": a.CheckPracticeToken(other, "3ds", tok),
		"other step":    a.CheckPracticeToken(p, "bank", tok),
		"old":           a.CheckPracticeToken(p, "3ds", a.PracticeToken(p, "3ds", now.Add(-time.Hour))),
		"garbage":       a.CheckPracticeToken(p, "3ds", "x"),
		"empty":         a.CheckPracticeToken(p, "3ds", ""),
		"not practice":  NewService(nil, "", cat).CheckPracticeToken(p, "3ds", tok),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
