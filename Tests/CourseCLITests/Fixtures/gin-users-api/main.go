// Command users is the users API of users-api written with gin instead of net/http's
// ServeMux: the router, not the handlers, decides that a path is unknown (404) or that a
// method is wrong (405), so the checks must ask only what every router agrees on. It is
// correct by the README and must pass every stage.
//
// What gin does differently: HandleMethodNotAllowed must be switched on for 405s, and its
// NoRoute and NoMethod handlers answer them (gin's own are plain text without Allow);
// /api/v1/users/7/posts is a 404 of the router, never reaching a handler; responses say
// "application/json; charset=utf-8"; ids are read with strconv.Atoi ("-1" is 404).
package main

import (
	"log"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

type user struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type input struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func (in input) problem() string {
	switch {
	case in.Name == nil || strings.TrimSpace(*in.Name) == "":
		return "name is required"
	case utf8.RuneCountInString(*in.Name) > 100:
		return "name is longer than 100 characters"
	case in.Email == nil || !emailPattern.MatchString(*in.Email):
		return "email is not an address"
	}
	return ""
}

type store struct {
	mu     sync.Mutex
	nextID int
	users  map[int]user
}

// taken says whether another user than id has email, in any letter case.
func (s *store) taken(email string, id int) bool {
	for _, u := range s.users {
		if u.ID != id && strings.EqualFold(u.Email, email) {
			return true
		}
	}
	return false
}

func fail(c *gin.Context, status int, message string) {
	c.AbortWithStatusJSON(status, gin.H{"error": message})
}

// allowed lists the methods of the route a path has, for the Allow header of a 405.
func allowed(path string) string {
	if strings.Count(strings.Trim(path, "/"), "/") == 3 {
		return "GET, PUT, DELETE"
	}
	return "GET, POST"
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	gin.SetMode(gin.ReleaseMode)
	s := &store{nextID: 1, users: map[int]user{}}

	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { fail(c, http.StatusNotFound, "no route for "+c.Request.URL.Path) })
	r.NoMethod(func(c *gin.Context) {
		c.Header("Allow", allowed(c.Request.URL.Path))
		fail(c, http.StatusMethodNotAllowed, c.Request.Method+" is not allowed here")
	})

	read := func(c *gin.Context) (input, bool) {
		var in input
		if err := c.ShouldBindJSON(&in); err != nil {
			fail(c, http.StatusBadRequest, "the body must be a JSON object")
			return in, false
		}
		if problem := in.problem(); problem != "" {
			fail(c, http.StatusBadRequest, problem)
			return in, false
		}
		return in, true
	}
	id := func(c *gin.Context) (int, bool) {
		n, err := strconv.Atoi(c.Param("id"))
		if err != nil {
			fail(c, http.StatusBadRequest, "the id must be a number")
		}
		return n, err == nil
	}

	users := r.Group("/api/v1/users")
	users.GET("", func(c *gin.Context) {
		s.mu.Lock()
		list := make([]user, 0, len(s.users))
		for _, u := range s.users {
			list = append(list, u)
		}
		s.mu.Unlock()
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		c.JSON(http.StatusOK, gin.H{"users": list})
	})
	users.POST("", func(c *gin.Context) {
		in, ok := read(c)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.taken(*in.Email, 0) {
			fail(c, http.StatusConflict, "the email is taken")
			return
		}
		u := user{ID: s.nextID, Name: *in.Name, Email: *in.Email}
		s.nextID++
		s.users[u.ID] = u
		c.JSON(http.StatusCreated, u)
	})
	users.GET("/:id", func(c *gin.Context) {
		n, ok := id(c)
		if !ok {
			return
		}
		s.mu.Lock()
		u, found := s.users[n]
		s.mu.Unlock()
		if !found {
			fail(c, http.StatusNotFound, "no such user")
			return
		}
		c.JSON(http.StatusOK, u)
	})
	users.PUT("/:id", func(c *gin.Context) {
		n, ok := id(c)
		if !ok {
			return
		}
		in, ok := read(c)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, found := s.users[n]; !found {
			fail(c, http.StatusNotFound, "no such user")
			return
		}
		if s.taken(*in.Email, n) {
			fail(c, http.StatusConflict, "the email is taken")
			return
		}
		u := user{ID: n, Name: *in.Name, Email: *in.Email}
		s.users[n] = u
		c.JSON(http.StatusOK, u)
	})
	users.DELETE("/:id", func(c *gin.Context) {
		n, ok := id(c)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, found := s.users[n]; !found {
			fail(c, http.StatusNotFound, "no such user")
			return
		}
		delete(s.users, n)
		c.Status(http.StatusNoContent)
	})

	log.Printf("listening on 127.0.0.1:%s", port)
	log.Fatal(r.Run("127.0.0.1:" + port))
}
