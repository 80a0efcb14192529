package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// csvIndicator is the indicator whose English name the attack changes;
// the demo and every portal have it (Decision 411's smartphone target).
const csvIndicator = "SMARTPHONE"

func init() {
	register(attack{name: "csv-formula", run: replayCSVFormula})
}

// replayCSVFormula, as an admin (ATTACKREPLAY_ADMIN_*), names an indicator
// with a cell beginning with each of = + - @ in turn, downloads the public
// dashboard's CSV and looks at how the name came back; the name is put
// back as it was at the end, whatever happened.
func replayCSVFormula(ctx context.Context, base string, c *http.Client) (string, error) {
	acct, ok := accountFromEnv("ATTACKREPLAY_ADMIN")
	if !ok {
		return "skipped: set ATTACKREPLAY_ADMIN_EMAIL, _PASSWORD and _TOTP to an admin's account", nil
	}
	v := newPortalVisitor(c, base)
	if err := v.signIn(ctx, acct); err != nil {
		return "", err
	}
	path := "/en/admin/definitions/indicators/" + csvIndicator
	page, err := v.get(ctx, path)
	if err != nil {
		return "", err
	}
	if page.status != http.StatusOK {
		return "", fmt.Errorf("the definition of %s answered %d to %s", csvIndicator, page.status, acct.email)
	}
	nameVI, okVI := inputValue(page.body, "name_vi")
	nameEN, okEN := inputValue(page.body, "name_en")
	if !okVI || !okEN {
		return "", fmt.Errorf("the definition page of %s has no name fields", csvIndicator)
	}
	form := url.Values{"name_vi": {nameVI}, "name_en": {nameEN},
		"numerator": {selectedValue(page.body, "numerator")}, "denominator": {selectedValue(page.body, "denominator")}}
	if strings.Contains(page.body, `name="active" value="yes" checked`) {
		form.Set("active", "yes")
	}
	save := func(name string) error {
		f := url.Values{}
		for k, vs := range form {
			f[k] = vs
		}
		f.Set("name_en", name)
		res, err := v.post(context.WithoutCancel(ctx), path, f)
		if err != nil {
			return err
		}
		if res.status != http.StatusSeeOther {
			return fmt.Errorf("saving the name %q answered %d", name, res.status)
		}
		return nil
	}
	defer save(nameEN) // put the name back, even when ctx ran out

	var seen []string
	for _, lead := range []string{"=", "+", "-", "@"} {
		marker := lead + "1+1 replay " + csvIndicator
		if err := save(marker); err != nil {
			return "", err
		}
		cell, err := exportedCell(ctx, v, "1+1 replay "+csvIndicator)
		if err != nil {
			return "", err
		}
		switch {
		case cell == "":
			seen = append(seen, lead+" not found in the export")
		case strings.HasPrefix(cell, lead):
			seen = append(seen, lead+" came back AS A FORMULA ("+cell+")")
		default:
			seen = append(seen, lead+" neutralised ("+cell+")")
		}
	}
	return "indicator names beginning with = + - @ in the dashboard CSV: " + strings.Join(seen, "; "), nil
}

// exportedCell downloads the public dashboard's CSV and returns the cell
// holding marker, "" when none does.
func exportedCell(ctx context.Context, v *portalVisitor, marker string) (string, error) {
	res, err := v.get(ctx, "/export/en/indicators?format=csv")
	if err != nil {
		return "", err
	}
	if res.status != http.StatusOK {
		return "", fmt.Errorf("the dashboard's CSV answered %d", res.status)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return "", fmt.Errorf("the dashboard's CSV: %w", err)
	}
	for _, row := range rows {
		for _, cell := range row {
			if strings.Contains(cell, marker) {
				return cell, nil
			}
		}
	}
	return "", nil
}
