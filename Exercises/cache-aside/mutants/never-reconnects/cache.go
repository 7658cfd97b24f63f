package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gomodule/redigo/redis"
)

// Cache keeps copies of users in Redis (the course's cache at $CACHE_ADDR) for cache-aside:
// reads try it first, writes go to the store and then delete the copy. It fails open: a
// cache error is logged and treated as a miss, so the API answers from the store while the
// cache is down. A nil *Cache (no CACHE_ADDR) caches nothing.
type Cache struct {
	pool *redis.Pool
	ttl  time.Duration
	dead int32 // set on the first error, never cleared
}

// NewCache connects lazily: nothing is dialled until the first command, and a connection
// that failed is dropped (redigo closes it when it goes back to the pool), so the next
// command dials again and the cache is used as soon as it is back.
func NewCache(addr string, ttl time.Duration) *Cache {
	pool := &redis.Pool{
		MaxIdle:     16,
		MaxActive:   64,
		Wait:        true,
		IdleTimeout: time.Minute,
		DialContext: func(ctx context.Context) (redis.Conn, error) {
			// Short timeouts: a cache that hangs must not hang the request.
			return redis.DialContext(ctx, "tcp", addr,
				redis.DialConnectTimeout(200*time.Millisecond),
				redis.DialReadTimeout(500*time.Millisecond),
				redis.DialWriteTimeout(500*time.Millisecond))
		},
	}
	return &Cache{pool: pool, ttl: ttl}
}

func userKey(id int) string { return "user:" + strconv.Itoa(id) }

// do runs one command on a pooled connection, bounded by a second in all.
func (c *Cache) do(cmd string, args ...interface{}) (interface{}, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if atomic.LoadInt32(&c.dead) == 1 {
		return nil, errors.New("the cache failed once; not trying again")
	}
	conn, err := c.pool.GetContext(ctx)
	if err != nil {
		atomic.StoreInt32(&c.dead, 1)
		return nil, err
	}
	defer conn.Close()
	reply, err := conn.Do(cmd, args...)
	if err != nil {
		atomic.StoreInt32(&c.dead, 1)
	}
	return reply, err
}

// Get returns the cached user, or false on a miss or any cache failure.
func (c *Cache) Get(id int) (User, bool) {
	if c == nil {
		return User{}, false
	}
	data, err := redis.Bytes(c.do("GET", userKey(id)))
	if err != nil {
		if !errors.Is(err, redis.ErrNil) {
			log.Printf("cache: GET %s: %v", userKey(id), err)
		}
		return User{}, false
	}
	var u User
	if err := json.Unmarshal(data, &u); err != nil {
		log.Printf("cache: %s holds something that is not a user: %v", userKey(id), err)
		return User{}, false
	}
	return u, true
}

// Put stores a copy with the TTL, give or take 10 percent so that entries written together
// do not all expire together.
func (c *Cache) Put(u User) {
	if c == nil {
		return
	}
	data, err := json.Marshal(u)
	if err != nil {
		return
	}
	ttl := c.ttl - c.ttl/10 + time.Duration(rand.Int63n(int64(c.ttl/5)+1))
	if _, err := c.do("SET", userKey(u.ID), data, "PX", ttl.Milliseconds()); err != nil {
		log.Printf("cache: SET %s: %v", userKey(u.ID), err)
	}
}

// Forget deletes the copy. Called after the store changed, never before: a read between a
// delete and the store's change would put the old user back.
func (c *Cache) Forget(id int) {
	if c == nil {
		return
	}
	if _, err := c.do("DEL", userKey(id)); err != nil {
		log.Printf("cache: DEL %s: %v", userKey(id), err)
	}
}
