package transfer

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct {
		file string
		head string
		want Format
	}{
		{"creators.csv", "name,email\n", FormatCSV},
		{"CREATORS.CSV", "", FormatCSV},
		{"list.tsv", "name\temail\n", FormatCSV},
		{"list.txt", "name\temail\n", FormatCSV},
		{"roster.json", `{"schema": "roster.export/v1"}`, FormatJSON},
		{"roster.JSON", "", FormatJSON},
		// The extension wins over the content.
		{"odd.csv", `{"a": 1}`, FormatCSV},
		{"odd.json", "name,email", FormatJSON},
		{"book.xlsx", "PK\x03\x04", FormatUnknown},
		{"book.numbers", "", FormatUnknown},
		// No or unknown extension: the content decides.
		{"export", "\n  \t{\n", FormatJSON},
		{"export", "\ufeff{", FormatJSON},
		{"export.dat", "name,email\n", FormatCSV},
		{"-", "\ufeffname;email\r\n", FormatCSV},
		{"-", "\xff\xfen\x00a\x00m\x00e\x00", FormatCSV},
		{"export", "PK\x03\x04\x14\x00", FormatUnknown},
		{"export", "\xD0\xCF\x11\xE0", FormatUnknown},
		{"export", "ELF\x00\x01", FormatUnknown},
		{"export", "", FormatUnknown},
		{"export", " \n", FormatUnknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.file, []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q, %q) = %v, want %v", tt.file, tt.head, got, tt.want)
		}
	}
}

func TestFormatString(t *testing.T) {
	for f, want := range map[Format]string{FormatCSV: "CSV", FormatJSON: "JSON", FormatUnknown: "unknown", 7: "unknown"} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q, want %q", int(f), got, want)
		}
	}
}
