package store

import json "github.com/goccy/go-json"

// The codec is the one place that knows how records become bucket values.
// It uses github.com/goccy/go-json, a drop-in encoding/json that decodes
// about twice as fast: decoding is most of opening a 5,000-card board.
// JSON is readable in `bbolt get` and tolerant of added fields; swapping it
// for something faster means changing these two functions and adding a
// migration that rewrites the values.

func encode(v any) ([]byte, error) { return json.Marshal(v) }

// decode fills v from data. data may live in bbolt's memory map, which is
// only valid during the transaction, so decode must copy (json does).
func decode(data []byte, v any) error { return json.Unmarshal(data, v) }
