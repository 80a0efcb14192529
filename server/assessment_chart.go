package server

import (
	"fmt"
	"math"
	"strings"
)

// radarChart is the geometry of a server-rendered radar chart of pillar
// percentages: one axis per pillar from 0% at the centre to 100% at the
// rim, this result as a solid polygon with round dots and, when there is
// one, the earlier result dashed with square dots, so the two differ
// without colour. The template draws it; a table beside it holds the same
// figures.
type radarChart struct {
	Title, Desc   string // the chart's accessible name and description
	Legend        string
	Width, Height int
	CX, CY        float64
	Rings         []string // polygon points at 20, 40, 60, 80 and 100%
	Axes          []radarAxis
	Now           string
	NowDots       []radarPoint
	Before        string
	BeforeDots    []radarPoint
}

type radarAxis struct {
	X, Y   float64 // the rim end of the axis
	LX, LY float64 // where its label sits
	Anchor string  // text-anchor of the label
	Label  string
}

type radarPoint struct{ X, Y float64 }

const (
	radarWidth  = 400
	radarHeight = 300
	radarRadius = 100
)

// newRadar lays out a chart for labels with the percentages now and, when
// not nil, before (same order, 0–100).
func newRadar(labels []string, now, before []float64) radarChart {
	c := radarChart{Width: radarWidth, Height: radarHeight, CX: radarWidth / 2, CY: radarHeight / 2}
	n := len(labels)
	at := func(i int, pct float64) radarPoint {
		angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		r := radarRadius * math.Max(0, math.Min(100, pct)) / 100
		return radarPoint{X: round1(c.CX + r*math.Cos(angle)), Y: round1(c.CY + r*math.Sin(angle))}
	}
	poly := func(pcts func(i int) float64) (string, []radarPoint) {
		var sb strings.Builder
		pts := make([]radarPoint, n)
		for i := range n {
			pts[i] = at(i, pcts(i))
			if i > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "%g,%g", pts[i].X, pts[i].Y)
		}
		return sb.String(), pts
	}
	for _, ring := range []float64{20, 40, 60, 80, 100} {
		s, _ := poly(func(int) float64 { return ring })
		c.Rings = append(c.Rings, s)
	}
	for i, l := range labels {
		end := at(i, 100)
		label := at(i, 114)
		ax := radarAxis{X: end.X, Y: end.Y, LX: label.X, LY: label.Y + 4, Anchor: "middle", Label: l}
		switch {
		case label.X > c.CX+1:
			ax.Anchor = "start"
		case label.X < c.CX-1:
			ax.Anchor = "end"
		case label.Y < c.CY:
			ax.LY = label.Y
		default:
			ax.LY = label.Y + 10
		}
		c.Axes = append(c.Axes, ax)
	}
	if n == 0 {
		return c
	}
	c.Now, c.NowDots = poly(func(i int) float64 { return now[i] })
	if before != nil {
		c.Before, c.BeforeDots = poly(func(i int) float64 { return before[i] })
	}
	return c
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
