package transfer

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"roster/crm"
)

// platformOrder puts the three platforms creator outreach lives on first;
// others follow alphabetically.
var platformOrder = []crm.Platform{crm.TikTok, crm.Instagram, crm.YouTube}

// WriteCSV writes one row per creator, in snapshot order, in columns that
// ReadCSV reads back to the same creators, so a manager can export, edit
// in a spreadsheet and import again:
//
//	name, email, <platform>, <platform> followers, <platform> engagement
//	(for every platform any creator has), tags, notes, source, owner,
//	stage, do not contact
//
// Emails and tags are joined with "; ". Engagement is written as a
// percentage ("4.2%"), followers as a plain integer. stage is the
// creator's stage in the first campaign (snap.Campaigns[0]), where an
// import without --campaign puts it back; it is empty for a creator with
// no deal there. A creator with two handles on one platform gets a second
// set of columns ("tiktok 2", "tiktok 2 followers", ...).
//
// The file starts with a UTF-8 byte order mark, because Excel on Windows
// otherwise reads UTF-8 as Windows-1252 and garbles every accented name;
// ReadCSV and other spreadsheets skip it. Cells that a spreadsheet would
// run as a formula (starting with = + - @) get a leading ', which ReadCSV
// removes.
//
// The CSV holds no IDs, campaigns other than the first, or stage history;
// the JSON export (WriteJSON) is the complete copy.
func WriteCSV(w io.Writer, snap crm.Snapshot) error {
	slots := map[crm.Platform]int{} // handles per platform, at most
	for _, c := range snap.Creators {
		per := map[crm.Platform]int{}
		for _, h := range c.Handles {
			per[h.Platform]++
			slots[h.Platform] = max(slots[h.Platform], per[h.Platform])
		}
	}
	platforms := make([]crm.Platform, 0, len(slots))
	for p := range slots {
		if p == "" || slots[p] > 99 {
			return fmt.Errorf("cannot write CSV: %d handles on platform %q do not fit in columns", slots[p], p)
		}
		platforms = append(platforms, p)
	}
	slices.SortFunc(platforms, func(a, b crm.Platform) int {
		ia, ib := slices.Index(platformOrder, a), slices.Index(platformOrder, b)
		if ia < 0 {
			ia = len(platformOrder)
		}
		if ib < 0 {
			ib = len(platformOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(string(a), string(b))
	})

	header := []string{"name", "email"}
	want := []column{{field: fieldName}, {field: fieldEmail}}
	for _, p := range platforms {
		for s := range slots[p] {
			h := headerName(p)
			prefix := string(p)
			if s > 0 {
				n := " " + strconv.Itoa(s+1)
				prefix += n
				if base, ok := strings.CutSuffix(h, " handle"); ok {
					h = base + n + " handle"
				} else {
					h += n
				}
			}
			header = append(header, h, prefix+" followers", prefix+" engagement")
			want = append(want, column{field: fieldHandle, platform: p, slot: s},
				column{field: fieldFollowers, platform: p, slot: s},
				column{field: fieldEngagement, platform: p, slot: s})
		}
	}
	header = append(header, "tags", "notes", "source", "owner", "stage", "do not contact")
	want = append(want, column{field: fieldTags}, column{field: fieldNotes}, column{field: fieldSource},
		column{field: fieldOwner}, column{field: fieldStage}, column{field: fieldDoNotContact})
	// A platform whose name a header cannot carry ("x2" reads as the
	// second X handle) would come back as something else: refuse it
	// rather than write a file that imports wrong.
	lay := readHeader(header)
	if len(lay.ignored) > 0 {
		return fmt.Errorf("cannot write CSV: column %q would not read back (use the JSON export)", lay.ignored[0])
	}
	for i, c := range lay.cols {
		if c.field != want[i].field || c.platform != want[i].platform || c.slot != want[i].slot {
			return fmt.Errorf("cannot write CSV: column %q would not read back as written (use the JSON export)", header[i])
		}
	}

	stages := map[crm.ID]crm.Stage{}
	if len(snap.Campaigns) > 0 {
		first := snap.Campaigns[0].ID
		for _, d := range snap.Deals {
			if _, ok := stages[d.CreatorID]; !ok && d.CampaignID == first {
				stages[d.CreatorID] = d.Stage
			}
		}
	}

	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for _, c := range snap.Creators {
		row = row[:0]
		row = append(row, c.Name, strings.Join(c.Emails, "; "))
		for _, p := range platforms {
			var hs []crm.Handle
			for _, h := range c.Handles {
				if h.Platform == p {
					hs = append(hs, h)
				}
			}
			for s := range slots[p] {
				if s >= len(hs) {
					row = append(row, "", "", "")
					continue
				}
				h := hs[s]
				row = append(row, h.Handle, strconv.FormatInt(h.Followers, 10), formatEngagement(h.EngagementBP))
			}
		}
		dnc := "no"
		if c.DoNotContact {
			dnc = "yes"
		}
		row = append(row, strings.Join(c.Tags, "; "), c.Notes, c.Source, c.Owner, string(stages[c.ID]), dnc)
		for i := range row {
			// A roster may hold escape sequences stored before import
			// cleaned them; a CSV is catted and opened, so none go out.
			row[i] = guard(crm.SanitizeText(row[i]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatEngagement writes basis points as the percentage people read:
// 420 → "4.2%", 400 → "4%", 0 → "" (not measured).
func formatEngagement(bp int) string {
	if bp == 0 {
		return ""
	}
	return crm.Percent(bp)
}
