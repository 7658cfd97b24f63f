package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// AppendLog is the append-only log in DATA_DIR/appendonly.aof: one record per change, each
// a command in RESP, as Redis's own AOF is (SET key value PXAT <ms>, DEL key), so the same
// reader parses the network and the file. A record states the key's result, with its
// expiry as an absolute time: replayed later, a TTL has kept counting down.
type AppendLog struct {
	file *os.File
}

const logName = "appendonly.aof"

// OpenLog creates DATA_DIR if needed, replays the log into store, and opens the log for
// appending. A last record cut short (the program died in the middle of writing it) is
// cut off the file and forgotten: it was never acknowledged. Anything else that cannot be
// read stops the start, rather than run on data that is wrong.
func OpenLog(dir string, store *Store) (*AppendLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, logName)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	good, err := replay(data, store)
	if err != nil {
		return nil, fmt.Errorf("%s, at byte %d: %w", path, good, err)
	}
	file, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if good < len(data) {
		log.Printf("%s: the last record is incomplete (%d bytes); ignoring it", path, len(data)-good)
		if err := file.Truncate(int64(good)); err != nil {
			return nil, err
		}
	}
	if _, err := file.Seek(0, io.SeekEnd); err != nil {
		return nil, err
	}
	if err := file.Sync(); err != nil {
		return nil, err
	}
	// The file may be new: make its name in the folder durable too.
	if folder, err := os.Open(dir); err == nil {
		folder.Sync()
		folder.Close()
	}
	return &AppendLog{file: file}, nil
}

// replay applies every complete record and returns how many bytes they take. It stops
// without an error at a record the file ends in the middle of.
func replay(data []byte, store *Store) (int, error) {
	reader := bytes.NewReader(data)
	r := bufio.NewReader(reader)
	good := 0
	for good < len(data) {
		args, err := readCommand(r)
		if err != nil {
			return good, err
		}
		if err := apply(store, args); err != nil {
			return good, err
		}
		good = len(data) - reader.Len() - r.Buffered()
	}
	return good, nil
}

// apply replays one record (store.log is still nil: nothing is written back).
func apply(store *Store, args []string) error {
	now := nowMillis()
	switch {
	case len(args) == 3 && strings.EqualFold(args[0], "SET"):
		store.put(args[1], args[2], 0, now)
	case len(args) == 5 && strings.EqualFold(args[0], "SET") && strings.EqualFold(args[3], "PXAT"):
		at, err := strconv.ParseInt(args[4], 10, 64)
		if err != nil {
			return fmt.Errorf("bad expiry time %q", args[4])
		}
		if at <= now {
			// Expired while the server was down.
			if e := store.live(args[1], now); e != nil {
				store.remove(e)
			}
			return nil
		}
		store.put(args[1], args[2], at, now)
	case len(args) == 2 && strings.EqualFold(args[0], "DEL"):
		if e := store.live(args[1], now); e != nil {
			store.remove(e)
		}
	default:
		return fmt.Errorf("not a record this server writes: %q", args)
	}
	return nil
}

func setRecord(key, value string, expiresAt int64) []byte {
	if expiresAt == 0 {
		return commandBytes("SET", key, value)
	}
	return commandBytes("SET", key, value, "PXAT", strconv.FormatInt(expiresAt, 10))
}

// Append writes one record and waits until it is on disk (fsync): only then may the
// command be answered. A crash a moment later cannot lose an acknowledged write.
func (l *AppendLog) Append(record []byte) error {
	if _, err := l.file.Write(record); err != nil {
		return err
	}
	return l.file.Sync()
}

func (l *AppendLog) Close() error { return l.file.Close() }
