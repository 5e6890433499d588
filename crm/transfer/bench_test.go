package transfer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// marketplaceCSV makes a deterministic Creator Marketplace-style export of
// n rows.
func marketplaceCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(42, 7))
	platforms := []string{"TikTok", "Instagram", "YouTube"}
	stages := []string{"", "Reached out", "in talks", "Signed", "Paid", "Declined"}
	var b bytes.Buffer
	b.WriteString("Creator Name,Platform,Username,Followers,Engagement Rate,Avg. Views,Country,Category,Contact Email,Status,Notes\n")
	for i := range n {
		fmt.Fprintf(&b, "Creator %d,%s,@creator.%d,%d.%dK,%d.%d%%,%dK,US,\"Beauty, Lifestyle\",creator%d@example.com,%s,\"Met at event %d\nfollow up\"\n",
			i, platforms[rng.IntN(len(platforms))], i, 1+rng.IntN(900), rng.IntN(10), rng.IntN(15), rng.IntN(10),
			rng.IntN(100), i, stages[rng.IntN(len(stages))], i)
	}
	return b.Bytes()
}

func BenchmarkReadCSV5000(b *testing.B) {
	data := marketplaceCSV(5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := ReadCSV("bench.csv", bytes.NewReader(data))
		if err != nil || len(res.Records) != 5000 || len(res.Problems) != 0 {
			b.Fatalf("err %v, %d records, problems %v", err, len(res.Records), res.Problems)
		}
	}
}
