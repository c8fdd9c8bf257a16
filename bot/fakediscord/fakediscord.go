// Package fakediscord is a stand-in for Discord on the loopback interface,
// for tests and for trying the bot without an account: a REST server (the
// routes briefbot uses, under /api/v9/) and a websocket gateway that says
// Hello, takes Identify, sends READY and then whatever events the test
// dispatches. GET /gateway/bot tells the bot to use Shards gateway
// connections (2 unless set), and events go to the shard the test names
// (shard 0 unless it names one). It records every REST request, can answer one with HTTP 429,
// and refuses a token other than the one it was given (HTTP 401 on REST,
// close code 4004 on the gateway). It speaks plain JSON, not discordgo.
package fakediscord

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// IDs the fake uses for the bot and the place events happen.
const (
	AppID     = "900000000000000001"
	BotID     = "900000000000000001"
	BotName   = "briefbot"
	GuildID   = "900000000000000010"
	ChannelID = "900000000000000020"
	UserID    = "900000000000000030"
)

// Request is one REST request the fake received.
type Request struct {
	Method string
	Path   string // without the /api/v9 prefix, e.g. /channels/1/messages
	Query  string
	Body   []byte
	Status int // what the fake answered
	At     time.Time
}

// Server is a fake Discord.
type Server struct {
	// Token is the bot token the fake accepts (without "Bot ").
	Token string
	// RejectIdentify makes the gateway refuse the token (close 4004) even
	// though REST accepts it.
	RejectIdentify bool
	// Permissions is the asking member's permission bitfield in the
	// interactions the fake sends, as Discord writes it ("32" is Manage
	// Server); empty means none.
	Permissions string
	// Guilds places channels in servers for GET /channels/ID; a channel
	// not named here is in GuildID.
	Guilds map[string]string
	// Shards is the shard count GET /gateway/bot recommends; set it
	// before the bot connects.
	Shards int

	srv  *httptest.Server
	up   websocket.Upgrader
	mu   sync.Mutex
	cond *sync.Cond
	reqs []Request
	// limited are the path prefixes whose next request gets a 429.
	limited map[string]time.Duration
	// conns are the open gateway connections by shard ID.
	conns   map[int]*gwConn
	intents int
	// readied are the shards that were sent READY; identified is the
	// [id, count] of every Identify, in order.
	readied    map[int]bool
	identified [][2]int
	closed     bool
	nextID     int
	// posted are the messages sent to each channel, oldest first.
	posted map[string][]map[string]any
}

// Start runs a fake Discord accepting token, on addr ("" picks a free
// loopback port). Close it when done.
func Start(token, addr string) (*Server, error) {
	s := &Server{Token: token, Shards: 2, limited: map[string]time.Duration{}, nextID: 1, posted: map[string][]map[string]any{},
		conns: map[int]*gwConn{}, readied: map[int]bool{}}
	s.cond = sync.NewCond(&s.mu)
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		s.srv.Listener.Close()
		s.srv.Listener = l
	}
	s.srv.Start()
	return s, nil
}

// URL is the server's root, e.g. http://127.0.0.1:40123.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST base to give the bot as DISCORD_API_URL.
func (s *Server) APIURL() string { return s.srv.URL + "/api/v9/" }

// Close stops the server and drops the gateway connection.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	var cs []*gwConn
	for _, c := range s.conns {
		cs = append(cs, c)
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	for _, c := range cs {
		c.ws.Close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// RateLimitNext makes the next request whose path starts with prefix get
// HTTP 429 with Retry-After (and Discord's rate-limit headers and body).
func (s *Server) RateLimitNext(prefix string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited[prefix] = retryAfter
}

// Requests is every REST request so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// WaitRequest waits up to timeout for a request that ok accepts, looking
// at every request received so far too, and returns the first. ok must
// not call the Server.
func (s *Server) WaitRequest(timeout time.Duration, ok func(Request) bool) (Request, error) {
	rs, err := s.WaitRequests(timeout, 1, ok)
	if err != nil {
		return Request{}, err
	}
	return rs[0], nil
}

// WaitRequests waits up to timeout for n requests that ok accepts and
// returns the first n. ok must not call the Server.
func (s *Server) WaitRequests(timeout time.Duration, n int, ok func(Request) bool) ([]Request, error) {
	var found []Request
	err := s.wait(timeout, func() bool {
		found = found[:0]
		for _, r := range s.reqs {
			if ok(r) {
				found = append(found, r)
			}
			if len(found) == n {
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, fmt.Errorf("%w (%d of %d requests)", err, len(found), n)
	}
	return found, nil
}

// WaitReady waits until every shard has been sent READY and the bot has
// registered its commands, so events dispatched now are handled.
func (s *Server) WaitReady(timeout time.Duration) error {
	return s.wait(timeout, func() bool {
		for id := range max(1, s.Shards) {
			if !s.readied[id] || s.conns[id] == nil {
				return false
			}
		}
		for _, r := range s.reqs {
			if r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") {
				return true
			}
		}
		return false
	})
}

// WaitDisconnect waits until the bot has closed every gateway connection.
func (s *Server) WaitDisconnect(timeout time.Duration) error {
	return s.wait(timeout, func() bool { return len(s.conns) == 0 && len(s.readied) > 0 })
}

// Identified is the shard [id, count] of every Identify so far, in order
// ([0, 1] for one that named no shard).
func (s *Server) Identified() [][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][2]int(nil), s.identified...)
}

// Intents is what the bot asked for in Identify.
func (s *Server) Intents() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.intents
}

func (s *Server) wait(timeout time.Duration, done func() bool) error {
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for !done() {
		if s.closed || !time.Now().Before(deadline) {
			return fmt.Errorf("fakediscord: not seen within %s", timeout)
		}
		s.cond.Wait()
	}
	return nil
}

func (s *Server) id() string {
	s.nextID++
	return strconv.Itoa(910000000000000000 + s.nextID)
}

// serve answers REST requests and upgrades /ws to the gateway.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws" || r.URL.Path == "/ws/" {
		s.gateway(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	path, ok := strings.CutPrefix(r.URL.Path, "/api/v9")
	if !ok {
		path = r.URL.Path
	}
	status, resp, header := s.route(r, path, body)
	for k, v := range header {
		w.Header().Set(k, v)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: body, Status: status, At: time.Now()})
	s.cond.Broadcast()
	s.mu.Unlock()
	if resp == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) route(r *http.Request, path string, body []byte) (int, any, map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for prefix, after := range s.limited {
		if strings.HasPrefix(path, prefix) {
			delete(s.limited, prefix)
			secs := after.Seconds()
			return http.StatusTooManyRequests,
				map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false},
				map[string]string{
					"Retry-After":             strconv.Itoa(int(math.Ceil(secs))),
					"X-RateLimit-Limit":       "5",
					"X-RateLimit-Remaining":   "0",
					"X-RateLimit-Reset-After": strconv.FormatFloat(secs, 'f', 3, 64),
					"X-RateLimit-Bucket":      "fake",
					"X-RateLimit-Scope":       "user",
				}
		}
	}
	seg := strings.Split(strings.Trim(path, "/"), "/")
	authorised := r.Header.Get("Authorization") == "Bot "+s.Token
	public := seg[0] == "gateway" && len(seg) == 1 || seg[0] == "interactions" || seg[0] == "webhooks"
	if !authorised && !public {
		return http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0}, nil
	}
	ws := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws"
	switch {
	case r.Method == http.MethodGet && path == "/gateway":
		return http.StatusOK, map[string]any{"url": ws}, nil
	case r.Method == http.MethodGet && path == "/gateway/bot":
		// A max_concurrency as large bots get, so shards may identify at
		// once and tests need not wait out Discord's 5 s between them.
		return http.StatusOK, map[string]any{"url": ws, "shards": max(1, s.Shards), "session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 16}}, nil
	case r.Method == http.MethodGet && path == "/users/@me":
		return http.StatusOK, botUser(), nil
	case r.Method == http.MethodPut && seg[0] == "applications" && seg[len(seg)-1] == "commands":
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			return http.StatusBadRequest, map[string]any{"message": err.Error()}, nil
		}
		for _, c := range cmds {
			c["id"], c["application_id"], c["version"] = s.id(), AppID, "1"
		}
		return http.StatusOK, cmds, nil
	case r.Method == http.MethodPost && seg[0] == "interactions" && len(seg) == 4 && seg[3] == "callback":
		return http.StatusNoContent, nil, nil
	case seg[0] == "webhooks" && len(seg) == 5 && seg[3] == "messages":
		if r.Method == http.MethodDelete {
			return http.StatusNoContent, nil, nil
		}
		return http.StatusOK, s.message(body), nil
	case r.Method == http.MethodPost && seg[0] == "webhooks" && len(seg) == 3:
		return http.StatusOK, s.message(body), nil
	case r.Method == http.MethodPost && seg[0] == "channels" && len(seg) == 3 && seg[2] == "messages":
		m := s.message(body)
		m["channel_id"] = seg[1]
		s.posted[seg[1]] = append(s.posted[seg[1]], m)
		return http.StatusOK, m, nil
	case r.Method == http.MethodGet && seg[0] == "channels" && len(seg) == 3 && seg[2] == "messages":
		return http.StatusOK, s.history(seg[1], r.URL.Query()), nil
	case r.Method == http.MethodGet && seg[0] == "channels" && len(seg) == 2:
		guild := GuildID
		if g, ok := s.Guilds[seg[1]]; ok {
			guild = g
		}
		return http.StatusOK, map[string]any{"id": seg[1], "type": 0, "guild_id": guild, "name": "channel-" + seg[1]}, nil
	}
	return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}, nil
}

// history answers GET /channels/ID/messages: the newest messages sent to
// the channel (before the message ID "before", when given), at most
// "limit" (default 50), newest first.
func (s *Server) history(channel string, q url.Values) []map[string]any {
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 50
	}
	before, _ := strconv.Atoi(q.Get("before"))
	out := []map[string]any{}
	msgs := s.posted[channel]
	for i := len(msgs) - 1; i >= 0 && len(out) < limit; i-- {
		if id, _ := strconv.Atoi(msgs[i]["id"].(string)); before == 0 || id < before {
			out = append(out, msgs[i])
		}
	}
	return out
}

// message is the message Discord would return for a sent body.
func (s *Server) message(body []byte) map[string]any {
	m := map[string]any{}
	json.Unmarshal(body, &m)
	m["id"] = s.id()
	m["channel_id"] = ChannelID
	m["author"] = botUser()
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	return m
}

func botUser() map[string]any {
	return map[string]any{"id": BotID, "username": BotName, "discriminator": "0", "bot": true}
}

func asker() map[string]any {
	return map[string]any{"id": UserID, "username": "alice", "discriminator": "0"}
}

// gwConn is one gateway connection (one shard's).
type gwConn struct {
	ws  *websocket.Conn
	mu  sync.Mutex // serialises writes
	seq int        // guarded by the Server's mu
}

func (c *gwConn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

// gateway speaks the gateway protocol on one connection.
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	c := &gwConn{ws: ws}
	if err := c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}}); err != nil {
		return
	}
	var id struct {
		Op int `json:"op"`
		D  struct {
			Token   string  `json:"token"`
			Intents int     `json:"intents"`
			Shard   *[2]int `json:"shard"`
		} `json:"d"`
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := ws.ReadJSON(&id); err != nil || id.Op != 2 {
		c.mu.Lock()
		ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4003, "Not authenticated."))
		c.mu.Unlock()
		return
	}
	ws.SetReadDeadline(time.Time{})
	if strings.TrimPrefix(id.D.Token, "Bot ") != s.Token || s.RejectIdentify {
		c.mu.Lock()
		ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
		c.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		return
	}
	shard := [2]int{0, 1}
	if id.D.Shard != nil {
		shard = *id.D.Shard
	}
	s.mu.Lock()
	s.conns[shard[0]], s.intents = c, id.D.Intents
	s.identified = append(s.identified, shard)
	s.mu.Unlock()
	err = s.DispatchOn(shard[0], "READY", map[string]any{
		"v": 9, "user": botUser(), "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws",
		"application": map[string]any{"id": AppID, "flags": 0}, "guilds": []any{}, "private_channels": []any{},
		"shard": shard,
	})
	if err == nil {
		s.mu.Lock()
		s.readied[shard[0]] = true
		s.cond.Broadcast()
		s.mu.Unlock()
		for {
			var m struct {
				Op int `json:"op"`
			}
			if err := ws.ReadJSON(&m); err != nil {
				break
			}
			if m.Op == 1 {
				c.write(map[string]any{"op": 11})
			}
		}
	}
	s.mu.Lock()
	if s.conns[shard[0]] == c {
		delete(s.conns, shard[0])
	}
	s.cond.Broadcast()
	s.mu.Unlock()
}

// Dispatch sends an event (op 0) on shard 0's gateway connection.
func (s *Server) Dispatch(event string, data any) error { return s.DispatchOn(0, event, data) }

// DispatchOn sends an event on the given shard's gateway connection.
func (s *Server) DispatchOn(shard int, event string, data any) error {
	s.mu.Lock()
	c := s.conns[shard]
	var seq int
	if c != nil {
		c.seq++
		seq = c.seq
	}
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("fakediscord: no gateway connection on shard %d for %s", shard, event)
	}
	return c.write(map[string]any{"op": 0, "t": event, "s": seq, "d": data})
}

// Interaction names an interaction the fake sent, to find what the bot
// answered: its callback is POST /interactions/ID/TOKEN/callback, its
// original response /webhooks/APP/TOKEN/messages/@original.
type Interaction struct {
	ID, Token string
}

// Callback is the path of the interaction's response.
func (i Interaction) Callback() string { return "/interactions/" + i.ID + "/" + i.Token + "/callback" }

// Original is the path of the interaction's original response (its edit).
func (i Interaction) Original() string {
	return "/webhooks/" + AppID + "/" + i.Token + "/messages/@original"
}

// Followups is the path follow-up messages are posted to.
func (i Interaction) Followups() string { return "/webhooks/" + AppID + "/" + i.Token }

func (s *Server) newInteraction() (Interaction, map[string]any) {
	s.mu.Lock()
	id := s.id()
	s.mu.Unlock()
	in := Interaction{ID: id, Token: "itoken-" + id + strings.Repeat("x", 60)}
	return in, map[string]any{
		"id": in.ID, "application_id": AppID, "token": in.Token, "version": 1,
		"guild_id": GuildID, "channel_id": ChannelID,
		"member": map[string]any{"user": asker(), "roles": []any{}, "permissions": cmp.Or(s.Permissions, "0")},
	}
}

// SlashCommand sends INTERACTION_CREATE for /name with string options, on
// shard 0.
func (s *Server) SlashCommand(name string, options map[string]string) (Interaction, error) {
	return s.SlashCommandOn(0, name, options)
}

// SlashCommandOn sends /name on the given shard.
func (s *Server) SlashCommandOn(shard int, name string, options map[string]string) (Interaction, error) {
	in, d := s.newInteraction()
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	opts := []any{}
	for _, k := range keys {
		opts = append(opts, map[string]any{"name": k, "type": 3, "value": options[k]})
	}
	d["type"] = 2
	d["data"] = map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts}
	return in, s.DispatchOn(shard, "INTERACTION_CREATE", d)
}

// Click sends INTERACTION_CREATE for a button with customID on message.
func (s *Server) Click(customID, messageID string) (Interaction, error) {
	in, d := s.newInteraction()
	d["type"] = 3
	d["data"] = map[string]any{"custom_id": customID, "component_type": 2}
	d["message"] = map[string]any{"id": messageID, "channel_id": ChannelID, "author": botUser(), "content": "", "timestamp": time.Now().UTC().Format(time.RFC3339)}
	return in, s.Dispatch("INTERACTION_CREATE", d)
}

// Mention sends MESSAGE_CREATE for a message from a user that mentions
// the bot: "<@BOT> text". It returns the message's ID.
func (s *Server) Mention(text string) (string, error) {
	s.mu.Lock()
	id := s.id()
	s.mu.Unlock()
	return id, s.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": id, "channel_id": ChannelID, "guild_id": GuildID, "author": asker(),
		"content": "<@" + BotID + "> " + text, "mentions": []any{botUser()},
		"timestamp": time.Now().UTC().Format(time.RFC3339), "type": 0,
	})
}
