package main

import (
	"container/list"
	"sync"
	"time"
)

// entry is one key. expiresAt is an absolute time, Unix milliseconds (0: never), so a TTL
// counts down by itself and means the same after a restart.
type entry struct {
	key       string
	value     string
	expiresAt int64
	use       *list.Element // the key's place in Store.recency
}

// Store holds the keys. One mutex guards everything; each command holds it for a few
// map operations (and, with DATA_DIR, one write to the log), never while it waits for a
// client.
type Store struct {
	mu      sync.Mutex
	items   map[string]*entry
	recency *list.List // most recently used at the front
	maxKeys int        // 0: no bound
	hits    int64
	misses  int64
	evicted int64
	expired int64
	log     *AppendLog // nil without DATA_DIR
}

func NewStore(maxKeys int) *Store {
	return &Store{items: map[string]*entry{}, recency: list.New(), maxKeys: maxKeys}
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// live returns the key's entry, or nil when it is missing or has expired (an expired key
// is removed on the spot: nothing can see it again).
func (s *Store) live(key string, now int64) *entry {
	e := s.items[key]
	if e == nil {
		return nil
	}
	return e
}

func (s *Store) remove(e *entry) {
	delete(s.items, e.key)
	s.recency.Remove(e.use)
}

// put stores a value (replacing the key's expiry) and marks it used, evicting the least
// recently used keys first when a new key would go over MAX_KEYS.
func (s *Store) put(key, value string, expiresAt int64, now int64) {
	if e := s.live(key, now); e != nil {
		e.value, e.expiresAt = value, expiresAt
		s.recency.MoveToFront(e.use)
		return
	}
	for s.maxKeys > 0 && len(s.items) >= s.maxKeys {
		oldest := s.recency.Back().Value.(*entry)
		s.remove(oldest)
		s.evicted++
		s.record(oldest.key) // the log says it is gone, so a replay does not bring it back
	}
	e := &entry{key: key, value: value, expiresAt: expiresAt}
	e.use = s.recency.PushFront(e)
	s.items[key] = e
}

// Get is GET: a hit or a miss in the statistics, and a use of the key.
func (s *Store) Get(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.live(key, nowMillis())
	if e == nil {
		s.misses++
		return "", false
	}
	s.hits++
	s.recency.MoveToFront(e.use)
	return e.value, true
}

// Condition is SET's NX (only a new key) or XX (only an existing key).
type Condition int

const (
	Always Condition = iota
	IfMissing
	IfExists
)

// Set is SET: false when NX or XX said no. ttl is in milliseconds (0: no expiry, and any
// expiry the key had is gone, as in Redis).
func (s *Store) Set(key, value string, ttl int64, when Condition) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	exists := s.live(key, now) != nil
	if (when == IfMissing && exists) || (when == IfExists && !exists) {
		return false, nil
	}
	expiresAt := int64(0)
	if ttl > 0 {
		expiresAt = now + ttl
	}
	s.put(key, value, expiresAt, now)
	return true, s.record(key)
}

// Delete is DEL: how many of the keys existed.
func (s *Store) Delete(keys []string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	var n int64
	for _, key := range keys {
		if e := s.live(key, now); e != nil {
			s.remove(e)
			n++
			if err := s.record(key); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// Exists is EXISTS: how many of the keys exist (a key named twice counts twice).
func (s *Store) Exists(keys []string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	var n int64
	for _, key := range keys {
		if s.live(key, now) != nil {
			n++
		}
	}
	return n
}

// Expire is EXPIRE/PEXPIRE with the time in milliseconds: false for a missing key. A time
// that is not in the future deletes the key.
func (s *Store) Expire(key string, ttl int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	e := s.live(key, now)
	if e == nil {
		return false, nil
	}
	if ttl <= 0 {
		s.remove(e)
	} else {
		e.expiresAt = now + ttl
	}
	return true, s.record(key)
}

// TTL is the time to live in milliseconds: -2 for a missing key, -1 for one without expiry.
func (s *Store) TTL(key string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	e := s.live(key, now)
	switch {
	case e == nil:
		return -2
	case e.expiresAt == 0:
		return -1
	default:
		return e.expiresAt - now
	}
}

// errNotInteger and errOverflow are INCR's errors, worded as Redis words them.
type commandError string

func (e commandError) Error() string { return string(e) }

const (
	errNotInteger = commandError("ERR value is not an integer or out of range")
	errOverflow   = commandError("ERR increment or decrement would overflow")
)

// Incr is INCRBY: a missing key counts as 0; the key keeps its expiry.
func (s *Store) Incr(key string, by int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := nowMillis()
	var n, expiresAt int64
	if e := s.live(key, now); e != nil {
		parsed, ok := parseInteger(e.value)
		if !ok {
			return 0, errNotInteger
		}
		n, expiresAt = parsed, e.expiresAt
	}
	if (by > 0 && n > maxInt64-by) || (by < 0 && n < minInt64-by) {
		return 0, errOverflow
	}
	n += by
	s.put(key, formatInteger(n), expiresAt, now)
	return n, s.record(key)
}

// Stats are the numbers INFO shows.
type Stats struct {
	Keys, WithExpiry                  int
	Hits, Misses, Evicted, ExpiredNow int64
}

func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Keys: len(s.items), Hits: s.hits, Misses: s.misses, Evicted: s.evicted, ExpiredNow: s.expired}
	for _, e := range s.items {
		if e.expiresAt != 0 {
			st.WithExpiry++
		}
	}
	return st
}

// record writes the key's state now (its value and absolute expiry, or that it is gone)
// to the append-only log, durably, before the command is answered. Called with s.mu held,
// so records reach the log in the order the changes happened.
func (s *Store) record(key string) error {
	if s.log == nil {
		return nil
	}
	if e, ok := s.items[key]; ok {
		return s.log.Append(setRecord(e.key, e.value, e.expiresAt))
	}
	return s.log.Append(commandBytes("DEL", key))
}
