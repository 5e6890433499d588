package crm

// EditDistance counts the edits between a and b, by letter (rune):
// inserting, deleting or changing one, or swapping two neighbours (the
// optimal string alignment distance). A swap is one edit because that is
// the commonest slip of fingers on a keyboard. It is what a "did you mean"
// in a config file and the board filter's typo matching both ask.
func EditDistance(a, b string) int {
	return EditDistanceRunes([]rune(a), []rune(b))
}

// EditDistanceRunes is EditDistance for text already split into runes,
// for callers comparing one word with many (the board filter).
func EditDistanceRunes(a, b []rune) int {
	// Three rows of the table, in one allocation; words as long as
	// filter words and config keys fit on the stack and allocate none.
	var small [3 * 32]int
	rows := small[:]
	if n := 3 * (len(b) + 1); n > len(small) {
		rows = make([]int, n)
	}
	w := len(b) + 1
	prev2, prev, cur := rows[:w], rows[w:2*w], rows[2*w:3*w]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
