package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// A fetch may only reach the public internet, unless the operator says
// otherwise: a feed anyone can add (Discord's /feeds add), or an item link
// or redirect in any feed, must not be a way to read the services beside
// the bot (a loopback admin page, a cloud metadata address, the office
// network). The check is made on the address actually dialled, after name
// resolution, so a name that resolves to 10.0.0.5, or is changed to do so
// between a check and the connection, is caught too.

// ErrRefused is wrapped by every error for a fetch the access rules refuse.
var ErrRefused = errors.New("refused")

// RefusedError is a fetch refused because of where it would connect.
type RefusedError struct {
	URL    string // the request (or redirect hop) refused, when known
	Addr   string // the address it would have dialled, when it got that far
	Reason string
}

func (e *RefusedError) Error() string {
	s := "refused to fetch"
	if e.URL != "" {
		s += " " + e.URL
	}
	if e.Addr != "" {
		s += " (" + e.Addr + ")"
	}
	return s + ": " + e.Reason
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

// internal are the address ranges a fetch stays out of, beside what
// netip.Addr's own predicates recognise (loopback, RFC 1918 and unique
// local, link-local, unspecified, multicast): each is a network that is
// not the public internet.
var internal = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a 'this network' address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("::/96"), "an IPv4-compatible IPv6 address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local IPv6 address"},
}

// embedsIPv4 are IPv6 ranges that carry an IPv4 address in their last 32
// bits and reach it (NAT64); that address is checked as well.
var embedsIPv4 = []netip.Prefix{
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// whyInternal says why addr is not on the public internet, or "" when it
// is.
func whyInternal(addr netip.Addr) string {
	addr = addr.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	switch {
	case !addr.IsValid():
		return "not an IP address"
	case addr.IsLoopback():
		return "a loopback address"
	case addr.IsUnspecified():
		return "an unspecified address"
	case addr.IsPrivate():
		return "a private address"
	case addr.IsLinkLocalUnicast():
		return "a link-local address (cloud metadata services live here)"
	case addr.IsMulticast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast():
		return "a multicast address"
	case addr.Is4() && addr.As4() == [4]byte{255, 255, 255, 255}:
		return "the broadcast address"
	}
	for _, r := range internal {
		if r.prefix.Contains(addr) {
			return r.what
		}
	}
	for _, p := range embedsIPv4 {
		if p.Contains(addr) {
			b := addr.As16()
			if why := whyInternal(netip.AddrFrom4([4]byte(b[12:]))); why != "" {
				return "a NAT64 address of " + why
			}
		}
	}
	return ""
}

// access is who may be fetched: the public internet, plus what the
// operator opened.
type access struct {
	// origins are "scheme://host:port" fetched wherever they resolve:
	// the config file's feeds' own origins.
	origins map[string]bool
	// hosts are "host:port" (or "host" for every port) from fetch.allow.
	hosts map[string]bool
	// nets are address ranges from fetch.allow.
	nets []netip.Prefix
}

// newAccess reads the operator's allow list (host, host:port, IP address
// or CIDR range) and the URLs whose origins are trusted.
func newAccess(allow, trusted []string) (*access, error) {
	a := &access{origins: map[string]bool{}, hosts: map[string]bool{}}
	for _, raw := range allow {
		s := strings.ToLower(strings.TrimSpace(raw))
		if p, err := netip.ParsePrefix(s); err == nil {
			a.nets = append(a.nets, p.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
			a.nets = append(a.nets, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		if s == "" || strings.ContainsAny(s, "/?#@ ") {
			return nil, fmt.Errorf("%q is not a host, host:port, IP address or CIDR range", raw)
		}
		a.hosts[s] = true
	}
	for _, raw := range trusted {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%q is not a URL", raw)
		}
		a.origins[origin(u)] = true
	}
	return a, nil
}

// origin is a URL's scheme, host and port, the port made explicit.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + hostPort(u)
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// trusts says whether u is fetched wherever its host resolves.
func (a *access) trusts(u *url.URL) bool {
	return a.origins[origin(u)] || a.hosts[hostPort(u)] || a.hosts[strings.ToLower(u.Hostname())]
}

// refuses says why dialling address (ip:port) is refused, or "".
func (a *access) refuses(address string) string {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return "not an IP address and port"
	}
	ip := ap.Addr().Unmap()
	for _, p := range a.nets {
		if p.Contains(ip) {
			return ""
		}
	}
	if why := whyInternal(ip); why != "" {
		return ip.String() + " is " + why + "; only the operator can open it (fetch.allow in the config file)"
	}
	return ""
}

// guardedTransport sends each request, and each redirect hop (every hop
// passes through RoundTrip), through a transport that dials only what
// access allows, or, for trusted origins, through one that dials anything.
type guardedTransport struct {
	access        *access
	open, guarded *http.Transport
}

// newTransport makes the guarded transport from base (nil: Go's default).
// Proxies from the environment are not used: the address checked must be
// the one connected to.
func newTransport(base *http.Transport, a *access) *guardedTransport {
	if base == nil {
		base = http.DefaultTransport.(*http.Transport)
	}
	open, guarded := base.Clone(), base.Clone()
	open.Proxy, guarded.Proxy = nil, nil
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: dialTimeout}
	gd := &net.Dialer{Timeout: dialTimeout, KeepAlive: dialTimeout,
		ControlContext: func(_ context.Context, _, address string, _ syscall.RawConn) error {
			if why := a.refuses(address); why != "" {
				return &RefusedError{Addr: address, Reason: why}
			}
			return nil
		}}
	open.DialContext, guarded.DialContext = d.DialContext, gd.DialContext
	return &guardedTransport{access: a, open: open, guarded: guarded}
}

// dialTimeout bounds connecting, as Go's default transport does.
const dialTimeout = 30 * time.Second

func (t *guardedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if s := strings.ToLower(req.URL.Scheme); s != "http" && s != "https" {
		return nil, &RefusedError{URL: req.URL.String(), Reason: "not an http(s) URL"}
	}
	tr := t.guarded
	if t.access.trusts(req.URL) {
		tr = t.open
	}
	res, err := tr.RoundTrip(req)
	var re *RefusedError
	if errors.As(err, &re) {
		re.URL = req.URL.String()
		return nil, re
	}
	return res, err
}
