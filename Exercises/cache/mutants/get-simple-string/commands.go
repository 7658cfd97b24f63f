package main

import (
	"fmt"
	"strconv"
	"strings"
)

// arity is how many arguments each command takes, its name included: n exactly, or at
// least -n when negative (Redis's own convention).
var arity = map[string]int{
	"PING": -1, "ECHO": 2, "SET": -3, "GET": 2, "DEL": -2, "EXISTS": -2, "EXPIRE": 3, "PEXPIRE": 3,
	"TTL": 2, "PTTL": 2, "INCR": 2, "DECR": 2, "INCRBY": 3, "DBSIZE": 1, "INFO": -1, "QUIT": -1,
}

// execute runs one command and returns its reply, worded as redis-server words it.
func execute(store *Store, args []string) []byte {
	name := strings.ToUpper(args[0])
	n, known := arity[name]
	if !known {
		return errorReply(fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", args[0], quoted(args[1:])))
	}
	if (n > 0 && len(args) != n) || (n < 0 && len(args) < -n) {
		return errorReply(fmt.Sprintf("ERR wrong number of arguments for '%s' command", strings.ToLower(name)))
	}
	switch name {
	case "PING":
		if len(args) == 2 {
			return bulkReply(args[1])
		}
		if len(args) > 2 {
			return errorReply("ERR wrong number of arguments for 'ping' command")
		}
		return simpleReply("PONG")
	case "ECHO":
		return bulkReply(args[1])
	case "QUIT":
		return simpleReply("OK")
	case "GET":
		if value, ok := store.Get(args[1]); ok {
			return simpleReply(value)
		}
		return nullReply
	case "SET":
		return set(store, args)
	case "DEL":
		removed, err := store.Delete(args[1:])
		return integerOrError(removed, err)
	case "EXISTS":
		return integerReply(store.Exists(args[1:]))
	case "EXPIRE", "PEXPIRE":
		amount, ok := parseInteger(args[2])
		if !ok {
			return errorReply(string(errNotInteger))
		}
		if name == "EXPIRE" {
			amount *= 1000
		}
		set, err := store.Expire(args[1], amount)
		if err != nil {
			return errorReply("ERR " + err.Error())
		}
		if set {
			return integerReply(1)
		}
		return integerReply(0)
	case "TTL", "PTTL":
		ms := store.TTL(args[1])
		if ms >= 0 && name == "TTL" {
			ms = (ms + 500) / 1000 // whole seconds, rounded as Redis rounds them
		}
		return integerReply(ms)
	case "INCR", "DECR", "INCRBY":
		by := int64(1)
		if name == "DECR" {
			by = -1
		} else if name == "INCRBY" {
			amount, ok := parseInteger(args[2])
			if !ok {
				return errorReply(string(errNotInteger))
			}
			by = amount
		}
		value, err := store.Incr(args[1], by)
		return integerOrError(value, err)
	case "DBSIZE":
		return integerReply(int64(store.Stats().Keys))
	case "INFO":
		return bulkReply(info(store.Stats()))
	}
	return errorReply("ERR unknown command '" + args[0] + "'")
}

// set parses SET key value [NX|XX] [EX seconds|PX milliseconds], options in any order.
func set(store *Store, args []string) []byte {
	when := Always
	var ttl int64
	for i := 3; i < len(args); i++ {
		option := strings.ToUpper(args[i])
		switch {
		case option == "NX" && when != IfExists:
			when = IfMissing
		case option == "XX" && when != IfMissing:
			when = IfExists
		case (option == "EX" || option == "PX") && ttl == 0 && i+1 < len(args):
			i++
			amount, ok := parseInteger(args[i])
			if !ok {
				return errorReply(string(errNotInteger))
			}
			if amount <= 0 || (option == "EX" && amount > maxInt64/1000) {
				return errorReply("ERR invalid expire time in 'set' command")
			}
			if option == "EX" {
				amount *= 1000
			}
			ttl = amount
		default:
			return errorReply("ERR syntax error")
		}
	}
	done, err := store.Set(args[1], args[2], ttl, when)
	if err != nil {
		return errorReply("ERR " + err.Error())
	}
	if !done {
		return nullReply // NX on an existing key, XX on a missing one
	}
	return simpleReply("OK")
}

func integerOrError(n int64, err error) []byte {
	if e, ok := err.(commandError); ok {
		return errorReply(string(e))
	}
	if err != nil {
		return errorReply("ERR " + err.Error())
	}
	return integerReply(n)
}

// info is INFO's text: sections of field:value lines, as redis-server writes them.
func info(st Stats) string {
	return fmt.Sprintf("# Server\r\nredis_version:7.0.0\r\n\r\n"+
		"# Stats\r\nkeyspace_hits:%d\r\nkeyspace_misses:%d\r\nexpired_keys:%d\r\nevicted_keys:%d\r\n\r\n"+
		"# Keyspace\r\ndb0:keys=%d,expires=%d,avg_ttl=0\r\n",
		st.Hits, st.Misses, st.ExpiredNow, st.Evicted, st.Keys, st.WithExpiry)
}

// quoted lists arguments as Redis's unknown-command error does: 'a' 'b' .
func quoted(args []string) string {
	var b strings.Builder
	for _, arg := range args {
		b.WriteString("'" + arg + "' ")
	}
	return b.String()
}

const (
	maxInt64 = int64(^uint64(0) >> 1)
	minInt64 = -maxInt64 - 1
)

// parseInteger reads an integer as Redis does: digits with an optional '-', no '+', no
// spaces, no leading zeros ("01" and "+1" are not integers, "0" and "-7" are).
func parseInteger(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

func formatInteger(n int64) string { return strconv.FormatInt(n, 10) }
