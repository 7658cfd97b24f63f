package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// storedData is the file's content: the users and the counter, so that an id freed by a
// delete is still not handed out after a restart.
type storedData struct {
	NextID int    `json:"next_id"`
	Users  []User `json:"users"`
}

// dataFile is a JSON file replaced atomically on every save. A reader (the next start of
// the program) sees either the old content or the new, never half of each, and once save
// returns the new content survives a crash or a power cut.
type dataFile struct {
	path string
}

func (f *dataFile) load() (storedData, error) {
	data := storedData{NextID: 1}
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return data, nil // first start: nothing saved yet
	}
	if err != nil {
		return data, err
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		return data, fmt.Errorf("%s is not a users file: %w", f.path, err)
	}
	if data.NextID < 1 {
		data.NextID = 1
	}
	return data, nil
}

// save writes to a temporary file in the same folder, flushes it to disk, and renames it
// over the old file. Each step matters:
//   - writing the real file in place would leave it half-written if we crashed midway;
//   - without Sync the data may sit in the OS cache, and a crash after the rename could
//     leave an empty file under the real name;
//   - rename is atomic only within one file system, hence the same folder;
//   - the rename itself is a change to the folder, made durable by syncing the folder.
func (f *dataFile) save(data storedData) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once the rename has happened
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
