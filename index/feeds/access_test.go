package feeds

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestWhyInternal(t *testing.T) {
	for _, tc := range []struct {
		addr     string
		internal bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"10.0.0.5", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"100.64.0.1", true},
		{"100.100.100.200", true}, // a cloud's metadata, in carrier-grade NAT space
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"224.0.0.1", true},
		{"255.255.255.255", true},
		{"240.0.0.1", true},
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"ff02::1", true},
		{"fec0::1", true},
		{"::ffff:127.0.0.1", true},       // IPv4-mapped
		{"::ffff:169.254.169.254", true}, // IPv4-mapped
		{"::ffff:10.0.0.5", true},
		{"::127.0.0.1", true},        // IPv4-compatible
		{"64:ff9b::7f00:1", true},    // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", true}, // NAT64 of 169.254.169.254

		{"93.184.216.34", false},
		{"8.8.8.8", false},
		{"172.32.0.1", false},
		{"100.128.0.1", false},
		{"2606:4700:4700::1111", false},
		{"::ffff:93.184.216.34", false},
		{"64:ff9b::5db8:d822", false}, // NAT64 of a public address
	} {
		why := whyInternal(netip.MustParseAddr(tc.addr))
		if (why != "") != tc.internal {
			t.Errorf("%s: internal %q, want internal=%v", tc.addr, why, tc.internal)
		}
	}
}

func TestAccess(t *testing.T) {
	a, err := newAccess([]string{"10.1.2.0/24", "192.168.7.7", "intranet.example:8080", "wiki.internal"},
		[]string{"http://127.0.0.1:8081/feed.xml", "https://news.corp/rss"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		address string
		refused bool
	}{
		{"10.1.2.7:80", false},
		{"10.1.3.1:80", true},
		{"192.168.7.7:443", false},
		{"[::ffff:192.168.7.7]:443", false},
		{"192.168.7.8:443", true},
		{"127.0.0.1:8081", true}, // origins are trusted by URL, not by address
		{"[::1]:80", true},
		{"93.184.216.34:443", false},
	} {
		why := a.refuses(tc.address)
		if (why != "") != tc.refused {
			t.Errorf("dial %s: refused %q, want refused=%v", tc.address, why, tc.refused)
		}
	}
	for _, tc := range []struct {
		url     string
		trusted bool
	}{
		{"http://127.0.0.1:8081/article/1", true},
		{"http://127.0.0.1:8082/secret", false},
		{"https://127.0.0.1:8081/", false}, // another scheme is another origin
		{"https://news.corp/a", true},
		{"https://news.corp:443/a", true},
		{"http://news.corp/a", false},
		{"http://intranet.example:8080/x", true},
		{"http://intranet.example/x", false},
		{"http://WIKI.internal:9000/page", true},
	} {
		u, _ := url.Parse(tc.url)
		if got := a.trusts(u); got != tc.trusted {
			t.Errorf("trusts(%s) = %v, want %v", tc.url, got, tc.trusted)
		}
	}
	for _, bad := range []string{"", "http://x/", "10.0.0.0/33x", "a b"} {
		if _, err := newAccess([]string{bad}, nil); err == nil || !strings.Contains(err.Error(), "is not a host") {
			t.Errorf("allow %q: err %v", bad, err)
		}
	}
}
