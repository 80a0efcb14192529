package payments

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// TestCRC16: the check value of CRC-16/CCITT-FALSE.
func TestCRC16(t *testing.T) {
	if got := CRC16([]byte("123456789")); got != 0x29B1 {
		t.Errorf("CRC16(123456789) = %04X, want 29B1", got)
	}
	if got := CRC16(nil); got != 0xFFFF {
		t.Errorf("CRC16(empty) = %04X, want FFFF", got)
	}
}

func TestBuildVietQR(t *testing.T) {
	tr := VietQRTransfer{BankBIN: PracticeBankBIN, Account: PracticeAccount, Amount: 200_000, Purpose: DemoRefPaid}
	p, err := BuildVietQR(tr)
	if err != nil {
		t.Fatal(err)
	}
	want := "000201010212" + "3856" + "0010A000000727" + "0126" + "0006000000" + "0112PRACTICE0000" + "0208QRIBFTTA" +
		"5303704" + "5406200000" + "5802VN" + "6224" + "0820" + DemoRefPaid + "6304"
	if !strings.HasPrefix(p, want) || len(p) != len(want)+4 {
		t.Fatalf("payload\n%s\nwant\n%s????", p, want)
	}
	got, err := ParseVietQR(p)
	if err != nil || got != tr {
		t.Errorf("parsed %+v, %v; want %+v", got, err, tr)
	}
	if tags := strings.Join(tagsOf(p), ","); tags != "00,01,38,53,54,58,62,63" {
		t.Errorf("tags %s", tags)
	}
	// One changed character breaks the CRC.
	bad := strings.Replace(p, "200000", "900000", 1)
	if _, err := ParseVietQR(bad); !errors.Is(err, ErrBadQR) {
		t.Errorf("tampered amount: %v, want ErrBadQR", err)
	}
	for _, tr := range []VietQRTransfer{
		{BankBIN: "000000", Account: "X", Amount: 0},
		{BankBIN: "000000", Account: "X", Amount: 1, Purpose: strings.Repeat("A", 26)},
		{BankBIN: "000000", Account: "X\n", Amount: 1},
		{BankBIN: "", Account: "X", Amount: 1},
	} {
		if _, err := BuildVietQR(tr); !errors.Is(err, ErrBadQR) {
			t.Errorf("BuildVietQR(%+v) = %v, want ErrBadQR", tr, err)
		}
	}
}

// FuzzVietQR: whatever the transfer, a payload built is read back the
// same; whatever the text, reading it never panics, and what it accepts
// builds back to a payload that reads the same.
func FuzzVietQR(f *testing.F) {
	f.Add("000000", "PRACTICE0000", int64(200000), "DEM0PA1D000000000001", "")
	f.Add("970436", "0011001234567", int64(1), "", "00020101021138540010A00000072701240006970436011000112345670208QRIBFTTA53037045802VN6304ABCD")
	f.Fuzz(func(t *testing.T, bin, account string, amount int64, purpose, raw string) {
		tr := VietQRTransfer{BankBIN: bin, Account: account, Amount: amount, Purpose: purpose}
		if p, err := BuildVietQR(tr); err == nil {
			got, err := ParseVietQR(p)
			if err != nil || got != tr {
				t.Fatalf("built %q from %+v, read back %+v, %v", p, tr, got, err)
			}
		}
		got, err := ParseVietQR(raw)
		if err != nil {
			return
		}
		if got.Amount > 0 {
			again, err := BuildVietQR(got)
			if err != nil {
				return // a payload may carry more than the builder writes
			}
			if back, err := ParseVietQR(again); err != nil || back != got {
				t.Fatalf("rebuilt %q from %+v read %+v, %v", again, got, back, err)
			}
		}
	})
}

// tagsOf lists a payload's top-level tags in order, for tests.
func tagsOf(payload string) []string {
	m, _ := parseTLV(payload)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
