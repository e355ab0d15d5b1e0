// goref answers questions with Go's own implementation, for the Swift tests to compare
// against: it reads a JSON object {"parse": [texts], "quote": [strings]} on stdin and
// writes, for each text, what runtime/debug.ParseBuildInfo returns (and BuildInfo.String),
// and for each string, strconv.Quote.
package main

import (
	"encoding/json"
	"os"
	"runtime/debug"
	"strconv"
)

type parsed struct {
	Error  string `json:"error,omitempty"`
	String string `json:"string"`
}

func main() {
	var in struct {
		Parse []string `json:"parse"`
		Quote []string `json:"quote"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := struct {
		Parse []parsed `json:"parse"`
		Quote []string `json:"quote"`
	}{Parse: []parsed{}, Quote: []string{}}
	for _, text := range in.Parse {
		bi, err := debug.ParseBuildInfo(text)
		if err != nil {
			out.Parse = append(out.Parse, parsed{Error: err.Error()})
			continue
		}
		out.Parse = append(out.Parse, parsed{String: bi.String()})
	}
	for _, s := range in.Quote {
		out.Quote = append(out.Quote, strconv.Quote(s))
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
