package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles holds every style the interface uses, by meaning rather than by
// colour, built per program so each SSH session can have its own
// background and colour support.
type Styles struct {
	App          lipgloss.Style
	Header       lipgloss.Style
	HeaderTitle  lipgloss.Style
	HeaderMuted  lipgloss.Style
	ColumnTitle  lipgloss.Style
	ColumnActive lipgloss.Style
	ColumnCount  lipgloss.Style
	CardName     lipgloss.Style
	CardNameSel  lipgloss.Style
	CardLine     lipgloss.Style
	CardMarker   lipgloss.Style
	CardMuted    lipgloss.Style
	Tier         map[string]lipgloss.Style
	Muted        lipgloss.Style
	Accent       lipgloss.Style
	Bold         lipgloss.Style
	Error        lipgloss.Style
	Warn         lipgloss.Style
	OK           lipgloss.Style
	Status       lipgloss.Style
	StatusKey    lipgloss.Style
	Help         lipgloss.Style
	HelpKey      lipgloss.Style
	HelpDesc     lipgloss.Style
	Overlay      lipgloss.Style
	TabActive    lipgloss.Style
	Tab          lipgloss.Style
	Label        lipgloss.Style
	Input        lipgloss.Style
	InputFocused lipgloss.Style
	Rule         lipgloss.Style
}

// NewStyles builds the styles for a dark or light background. With
// noColor every colour is dropped and selection is shown by a marker and
// bold text alone, as NO_COLOR asks.
func NewStyles(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color {
		if noColor {
			return nil
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	fg := func(s lipgloss.Style, col color.Color) lipgloss.Style {
		if col == nil {
			return s
		}
		return s.Foreground(col)
	}
	bg := func(s lipgloss.Style, col color.Color) lipgloss.Style {
		if col == nil {
			return s
		}
		return s.Background(col)
	}
	accent := c("#5A3FD6", "#A48BFF")
	muted := c("#6B6B6B", "#8A8A8A")
	text := c("#1A1A1A", "#E6E6E6")
	red := c("#C0262D", "#FF6B6B")
	amber := c("#A35E00", "#FFB454")
	green := c("#187A3B", "#5FD38D")
	base := lipgloss.NewStyle()
	s := Styles{
		App:          base,
		Header:       bg(fg(base, text), c("#ECE8FF", "#231B44")).Padding(0, 1),
		HeaderTitle:  fg(base.Bold(true), accent),
		HeaderMuted:  fg(base, muted),
		ColumnTitle:  fg(base.Bold(true), text),
		ColumnActive: fg(base.Bold(true).Underline(true), accent),
		ColumnCount:  fg(base, muted),
		CardName:     fg(base, text),
		CardNameSel:  fg(base.Bold(true), accent),
		CardLine:     fg(base, text),
		CardMarker:   fg(base, accent),
		CardMuted:    fg(base, muted),
		Muted:        fg(base, muted),
		Accent:       fg(base, accent),
		Bold:         base.Bold(true),
		Error:        fg(base.Bold(true), red),
		Warn:         fg(base, amber),
		OK:           fg(base, green),
		Status:       fg(base, muted),
		StatusKey:    fg(base.Bold(true), accent),
		Help:         base,
		HelpKey:      fg(base.Bold(true), accent),
		HelpDesc:     fg(base, text),
		Overlay:      base.Border(lipgloss.RoundedBorder()).Padding(0, 1),
		TabActive:    fg(base.Bold(true).Underline(true), accent),
		Tab:          fg(base, muted),
		Label:        fg(base, muted),
		Input:        base,
		InputFocused: fg(base, accent),
		Rule:         fg(base, muted),
	}
	if !noColor {
		s.Overlay = s.Overlay.BorderForeground(accent)
	}
	s.Tier = map[string]lipgloss.Style{
		"nano":  fg(base, muted),
		"micro": fg(base, green),
		"mid":   fg(base, c("#0B6BAF", "#6CB6FF")),
		"macro": fg(base, amber),
		"mega":  fg(base, red),
	}
	return s
}
