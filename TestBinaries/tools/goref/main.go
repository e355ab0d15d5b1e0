// goref answers questions with Go's own implementation, for the Swift tests to compare
// against: it reads a JSON object {"parse": [texts], "quote": [strings], "pclntab": [paths]}
// on stdin and writes, for each text, what runtime/debug.ParseBuildInfo returns (and
// BuildInfo.String), for each string, strconv.Quote, and for each path, what debug/gosym
// reads from the file's pclntab: every function's name with the file of its entry PC, and
// the table's file names.
package main

import (
	"debug/elf"
	"debug/gosym"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
)

type parsed struct {
	Error  string `json:"error,omitempty"`
	String string `json:"string"`
}

// pclntab is debug/gosym's view of one file's table. Funcs holds [name, file of the entry
// PC] pairs in function table order ("" when gosym resolves no file); Files is the sorted
// key set of Table.Files. Location says where the table was found.
type pclntab struct {
	Path     string      `json:"path"`
	Error    string      `json:"error,omitempty"`
	Location string      `json:"location,omitempty"`
	Funcs    [][2]string `json:"funcs"`
	Files    []string    `json:"files"`
}

func main() {
	var in struct {
		Parse   []string `json:"parse"`
		Quote   []string `json:"quote"`
		Pclntab []string `json:"pclntab"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := struct {
		Parse   []parsed  `json:"parse"`
		Quote   []string  `json:"quote"`
		Pclntab []pclntab `json:"pclntab,omitempty"`
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
	for _, path := range in.Pclntab {
		out.Pclntab = append(out.Pclntab, readPclntab(path))
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func readPclntab(path string) (res pclntab) {
	res = pclntab{Path: path, Funcs: [][2]string{}, Files: []string{}}
	defer func() {
		if r := recover(); r != nil {
			res.Error = fmt.Sprint("panic: ", r)
		}
	}()
	if err := fillPclntab(path, &res); err != nil {
		res.Error = err.Error()
	}
	return res
}

func fillPclntab(path string, res *pclntab) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var data []byte
	if s := f.Section(".gopclntab"); s != nil {
		if data, err = s.Data(); err != nil {
			return err
		}
		res.Location = "gopclntab-section"
	} else {
		syms, err := f.Symbols()
		if err != nil {
			return err
		}
		var start, end uint64
		var haveStart, haveEnd bool
		for _, s := range syms {
			if s.Section == elf.SHN_UNDEF {
				continue
			}
			switch s.Name {
			case "runtime.pclntab":
				start, haveStart = s.Value, true
			case "runtime.epclntab":
				end, haveEnd = s.Value, true
			}
		}
		if !haveStart || !haveEnd || end < start {
			return errors.New("no .gopclntab section and no runtime.pclntab..runtime.epclntab")
		}
		var holder *elf.Section
		for _, s := range f.Sections {
			if s.Type != elf.SHT_NOBITS && s.Addr <= start && end <= s.Addr+s.Size {
				holder = s
				break
			}
		}
		if holder == nil {
			return errors.New("no section holds runtime.pclntab..runtime.epclntab")
		}
		all, err := holder.Data()
		if err != nil {
			return err
		}
		data = all[start-holder.Addr : end-holder.Addr]
		res.Location = "runtime.pclntab-symbol"
	}
	var textStart uint64
	if s := f.Section(".text"); s != nil {
		textStart = s.Addr
	}
	t, err := gosym.NewTable(nil, gosym.NewLineTable(data, textStart))
	if err != nil {
		return err
	}
	for _, fn := range t.Funcs {
		file, _, _ := t.PCToLine(fn.Entry)
		res.Funcs = append(res.Funcs, [2]string{fn.Name, file})
	}
	for name := range t.Files {
		res.Files = append(res.Files, name)
	}
	sort.Strings(res.Files)
	return nil
}
