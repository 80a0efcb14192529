package payments

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// VietQR is the bank-transfer QR code of Viet Nam's banks (NAPAS), an
// EMVCo merchant-presented QR payload: fields of a two-digit tag, a
// two-digit length and a value, some of them holding fields of their own,
// ending in a CRC. The practice builds one for a clearly fake account, so
// that a real banking app that scans it finds nothing to pay.
const (
	// VietQRGUID is NAPAS's application identifier, sub-field 00 of the
	// merchant account field 38.
	VietQRGUID = "A000000727"
	// vietQRService is "transfer to an account" (sub-field 02 of 38).
	vietQRService = "QRIBFTTA"
	// PracticeBankBIN and PracticeAccount are the practice's bank and
	// account: not a bank's identifier (those begin 970) nor an account
	// number (those are digits), so no real transfer can follow from them.
	PracticeBankBIN = "000000"
	PracticeAccount = "PRACTICE0000"
	currencyVND     = "704"
	countryVN       = "VN"
)

// Tags of the EMVCo merchant-presented payload used here.
const (
	tagFormat      = "00"
	tagInitiation  = "01"
	tagVietQR      = "38"
	tagCurrency    = "53"
	tagAmount      = "54"
	tagCountry     = "58"
	tagAdditional  = "62"
	tagCRC         = "63"
	subGUID        = "00"
	subBeneficiary = "01"
	subService     = "02"
	subBank        = "00"
	subAccount     = "01"
	subPurpose     = "08" // of 62: the transfer's content
)

// ErrBadQR is returned for a payload that is not a well-formed EMVCo QR.
var ErrBadQR = errors.New("payments: not a well-formed EMVCo QR payload")

// CRC16 is CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no
// reflection, no final XOR), the checksum EMVCo puts in tag 63.
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, b := range data {
		crc ^= uint16(b) << 8
		for i := 0; i < 8; i++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// tlv writes one field; values are at most 99 bytes.
func tlv(b *strings.Builder, tag, value string) error {
	if len(value) == 0 || len(value) > 99 {
		return fmt.Errorf("%w: field %s is %d bytes", ErrBadQR, tag, len(value))
	}
	b.WriteString(tag)
	fmt.Fprintf(b, "%02d", len(value))
	b.WriteString(value)
	return nil
}

// VietQRTransfer is what a transfer QR says.
type VietQRTransfer struct {
	BankBIN string // the beneficiary's bank (acquirer) identifier
	Account string // the beneficiary's account
	Amount  int64  // whole đồng; the code is then dynamic
	Purpose string // the transfer's content: the payment reference
}

// qrText accepts what a QR field may carry: printable ASCII.
func qrText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// BuildVietQR returns the EMVCo payload of a transfer, with its CRC.
func BuildVietQR(t VietQRTransfer) (string, error) {
	if t.Amount <= 0 || t.Amount > 9_999_999_999_999 || !qrText(t.BankBIN+t.Account+t.Purpose) || len(t.Purpose) > 25 {
		return "", fmt.Errorf("%w: amount, account or content out of range", ErrBadQR)
	}
	var bene, acct, add strings.Builder
	if err := tlv(&bene, subBank, t.BankBIN); err != nil {
		return "", err
	}
	if err := tlv(&bene, subAccount, t.Account); err != nil {
		return "", err
	}
	for _, f := range [][2]string{{subGUID, VietQRGUID}, {subBeneficiary, bene.String()}, {subService, vietQRService}} {
		if err := tlv(&acct, f[0], f[1]); err != nil {
			return "", err
		}
	}
	if t.Purpose != "" {
		if err := tlv(&add, subPurpose, t.Purpose); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	fields := [][2]string{
		{tagFormat, "01"}, {tagInitiation, "12"}, {tagVietQR, acct.String()},
		{tagCurrency, currencyVND}, {tagAmount, strconv.FormatInt(t.Amount, 10)}, {tagCountry, countryVN},
	}
	if add.Len() > 0 {
		fields = append(fields, [2]string{tagAdditional, add.String()})
	}
	for _, f := range fields {
		if err := tlv(&b, f[0], f[1]); err != nil {
			return "", err
		}
	}
	b.WriteString(tagCRC + "04")
	return b.String() + fmt.Sprintf("%04X", CRC16([]byte(b.String()))), nil
}

// maxQRPayload bounds a payload read: an EMVCo QR holds at most 512.
const maxQRPayload = 512

// parseTLV reads a run of fields into a map, refusing repeated tags.
func parseTLV(s string) (map[string]string, error) {
	out := map[string]string{}
	for len(s) > 0 {
		if len(s) < 4 {
			return nil, fmt.Errorf("%w: truncated field", ErrBadQR)
		}
		tag, n := s[:2], s[2:4]
		if tag[0] < '0' || tag[0] > '9' || tag[1] < '0' || tag[1] > '9' || n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9' {
			return nil, fmt.Errorf("%w: tag or length not digits", ErrBadQR)
		}
		size := int(n[0]-'0')*10 + int(n[1]-'0')
		if size == 0 || len(s) < 4+size {
			return nil, fmt.Errorf("%w: field %s length %d", ErrBadQR, tag, size)
		}
		if _, dup := out[tag]; dup {
			return nil, fmt.Errorf("%w: field %s twice", ErrBadQR, tag)
		}
		out[tag] = s[4 : 4+size]
		s = s[4+size:]
	}
	return out, nil
}

// ParseVietQR reads a VietQR transfer payload, checking its CRC, its
// fields' layout, NAPAS's GUID, the currency (đồng) and country (VN).
func ParseVietQR(payload string) (VietQRTransfer, error) {
	var t VietQRTransfer
	if len(payload) > maxQRPayload || len(payload) < 8 || !qrText(payload) {
		return t, fmt.Errorf("%w: size or characters", ErrBadQR)
	}
	body, sum := payload[:len(payload)-4], payload[len(payload)-4:]
	if !strings.HasSuffix(body, tagCRC+"04") {
		return t, fmt.Errorf("%w: CRC field not last", ErrBadQR)
	}
	want, err := strconv.ParseUint(sum, 16, 16)
	if err != nil || uint16(want) != CRC16([]byte(body)) || strings.ToUpper(sum) != sum {
		return t, fmt.Errorf("%w: CRC does not match", ErrBadQR)
	}
	top, err := parseTLV(payload)
	if err != nil {
		return t, err
	}
	if top[tagFormat] != "01" || (top[tagInitiation] != "11" && top[tagInitiation] != "12") ||
		top[tagCurrency] != currencyVND || top[tagCountry] != countryVN {
		return t, fmt.Errorf("%w: format, currency or country", ErrBadQR)
	}
	acct, err := parseTLV(top[tagVietQR])
	if err != nil {
		return t, err
	}
	bene, err := parseTLV(acct[subBeneficiary])
	if err != nil {
		return t, err
	}
	if acct[subGUID] != VietQRGUID || bene[subBank] == "" || bene[subAccount] == "" {
		return t, fmt.Errorf("%w: not a VietQR account", ErrBadQR)
	}
	t.BankBIN, t.Account = bene[subBank], bene[subAccount]
	if a, ok := top[tagAmount]; ok {
		if t.Amount, err = strconv.ParseInt(a, 10, 64); err != nil || t.Amount <= 0 || a[0] == '+' {
			return VietQRTransfer{}, fmt.Errorf("%w: amount %q", ErrBadQR, a)
		}
	}
	if add, ok := top[tagAdditional]; ok {
		fields, err := parseTLV(add)
		if err != nil {
			return VietQRTransfer{}, err
		}
		t.Purpose = fields[subPurpose]
	}
	return t, nil
}
