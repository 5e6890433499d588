package ui

import (
	"roster/crm"
)

// msgSel is the selected message of the Mail tab: the one r and R answer.
// Until the manager picks one with [ and ] it is the newest message, the
// one they most likely came to answer. The drawing of the tab records
// where each message starts, so moving the selection can scroll to it.
type msgSel struct {
	// picked is the message chosen with [ or ], by ID so that mail
	// arriving meanwhile does not move the selection to another message.
	picked crm.ID
	// jumpToSel scrolls to the selection on the next draw.
	jumpToSel bool
	// msgs and msgLine are the messages in screen order and the line each
	// starts on, as last drawn.
	msgs    []*crm.Message
	msgLine []int
}

// selectedIndex is the selected message's place in screen order.
func (d *detailModel) selectedIndex() int {
	if len(d.convs) == 0 {
		return -1
	}
	if d.picked != "" {
		i := 0
		for _, cv := range d.convs {
			for _, x := range cv.Messages {
				if x.ID == d.picked {
					return i
				}
				i++
			}
		}
	}
	return len(d.convs[0].Messages) - 1
}

// selectedMessage is the message r and R answer.
func (d *detailModel) selectedMessage() (*crm.Message, bool) {
	if !d.hasMail {
		return nil, false
	}
	i, n := d.selectedIndex(), 0
	for _, cv := range d.convs {
		if i < n+len(cv.Messages) {
			if i < n {
				return nil, false
			}
			return &cv.Messages[i-n], true
		}
		n += len(cv.Messages)
	}
	return nil, false
}

// stepMessage moves the selection by delta messages in screen order and
// scrolls to it.
func (d *detailModel) stepMessage(delta int) {
	n := 0
	for _, cv := range d.convs {
		n += len(cv.Messages)
	}
	if n == 0 {
		return
	}
	i := min(max(d.selectedIndex()+delta, 0), n-1)
	for _, cv := range d.convs {
		if i < len(cv.Messages) {
			d.picked = cv.Messages[i].ID
			break
		}
		i -= len(cv.Messages)
	}
	d.jumpToSel, d.tab = true, tabMail
}

// scrollToSelected puts the selected message's first line at the top
// after [ or ] moved it.
func (d *detailModel) scrollToSelected() {
	if !d.jumpToSel || d.tab != tabMail {
		return
	}
	d.jumpToSel = false
	if i := d.selectedIndex(); i >= 0 && i < len(d.msgLine) {
		d.top = max(0, d.msgLine[i]-1)
	}
}

// toggleQuoted shows or hides quoted history. Every message above the
// selected one grows or shrinks, so on the Mail tab the view follows the
// selected message rather than keeping a scroll position that now falls
// in the middle of another one.
func (d *detailModel) toggleQuoted() {
	d.showQuoted = !d.showQuoted
	if d.tab == tabMail {
		d.jumpToSel = true
	}
}
