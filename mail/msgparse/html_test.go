package msgparse

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"entities and spaces", "<p>Fish &amp;   chips&nbsp;&mdash; &lt;3</p>", "Fish & chips — <3"},
		{"br and paragraphs", "<p>a<br>b</p><p>c</p>", "a\nb\n\nc"},
		{"gmail divs", "<div>Hi</div><div><br></div><div>Bye</div>", "Hi\n\nBye"},
		{"link equal to text", `<a href="https://x.example/">x.example</a>`, "x.example"},
		{"mailto equal", `<a href="mailto:a@x.example">a@x.example</a>`, "a@x.example"},
		{"link kept", `<a href="https://x.example/p">the post</a>`, "the post <https://x.example/p>"},
		{"anchor and js links dropped", `<a href="#top">top</a> <a href="javascript:void(0)">js</a>`, "top js"},
		{"image-only link without alt", `<a href="https://t.example/c"><img src="x.png"></a>`, ""},
		{"image link with alt", `<a href="https://shop.example"><img src="x.png" alt="Shop now"></a>`, "[image: Shop now] <https://shop.example>"},
		{"pixel dropped", `<p>hi<img src="p.gif" width="1" height="1" alt="open"></p>`, "hi"},
		{"hidden dropped", `<span style="display: none !important">secret</span><span hidden>x</span><div style="visibility:hidden">y</div>shown`, "shown"},
		{"ordered list", `<ol><li>one</li><li>two</li></ol>`, "1. one\n2. two"},
		{"nested list", `<ul><li>a<ul><li>b</li></ul></li></ul>`, "• a\n  • b"},
		{"pre", "<pre>  a\n    b</pre>", "  a\n    b"},
		{"blockquote", "<p>new</p><blockquote type=\"cite\"><p>old</p><p>older</p></blockquote>", "new\n>\n> old\n>\n> older"},
		{"thunderbird", `<p>Thanks</p><div class="moz-cite-prefix">On 1/8/24 18:15, Sam wrote:<br></div><blockquote type="cite">Hi</blockquote>`, "Thanks\n\nOn 1/8/24 18:15, Sam wrote:\n> Hi"},
		{"yahoo", `<div>Great.</div><div class="yahoo_quoted"><div>On Monday, Sam wrote:</div><div>Hi</div></div>`, "Great.\n> On Monday, Sam wrote:\n> Hi"},
		{"script style head", "<html><head><title>T</title><style>p{}</style></head><body><script>x()</script>body</body></html>", "body"},
		{"table cells", "<table><tr><td>a</td><td></td><td>b</td></tr><tr><td>c</td></tr></table>", "a | b\nc"},
		{"layout tables", "<table><tr><td><table><tr><td><p>x</p></td></tr></table></td><td><p>y</p></td></tr></table>", "x\n\ny"},
		{"zero-width preheader padding", "Hi&zwnj;&nbsp;&#847;&zwnj; there", "Hi there"},
		{"deep nesting", deepDivs(100000) + "deep<p>er</p><script>x</script>", "deep\n\ner"},
		{"hr", "a<hr>b", "a\n________________________________\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := htmlToText(tt.in)
			if got != tt.want {
				t.Errorf("htmlToText =\n%.500q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func deepDivs(n int) string {
	b := make([]byte, 0, 5*n)
	for i := 0; i < n; i++ {
		b = append(b, "<div>"...)
	}
	return string(b)
}
