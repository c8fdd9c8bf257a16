package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"briefbot"
)

// FileName is the schedule database's name inside the index folder. It sits
// next to the index (index rebuilds leave it alone) so each articles folder
// has its own subscriptions and post log.
const FileName = "schedule.db"

// Path is where the schedule database of the index in indexDir lives.
func Path(indexDir string) string { return filepath.Join(indexDir, FileName) }

var (
	subsBucket  = []byte("subscriptions")
	postsBucket = []byte("posts")
)

// State is where a scheduled post stands.
type State string

const (
	// Claimed: the post is about to be sent, or was being sent when the
	// process stopped. Whether it reached the channel is unknown until the
	// Poster is asked.
	Claimed State = "claimed"
	// Sent: the briefing is in the channel.
	Sent State = "sent"
	// Skipped: the post was not made (too late to catch up) and never will be.
	Skipped State = "skipped"
)

// Post is one entry of the post log: a channel's briefing for one day.
type Post struct {
	Channel string    `json:"channel"`
	Day     time.Time `json:"day"` // the day the briefing covers, midnight UTC
	State   State     `json:"state"`
	// MessageID is the sent message; empty when the post was found in the
	// channel after a crash rather than sent by this process.
	MessageID string    `json:"message_id,omitempty"`
	Due       time.Time `json:"due"`
	At        time.Time `json:"at"` // when State was recorded
	Note      string    `json:"note,omitempty"`
}

// Store keeps subscriptions and the post log in a bbolt file. Every write is
// committed and synced to disk before the method returns, so the scheduler
// acts only on what a crash cannot take back. One process at a time may
// have the file open.
type Store struct {
	db   *bolt.DB
	path string
}

// OpenStore opens (creating if needed) the schedule database at path. It
// fails rather than waits when another process holds it.
func OpenStore(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("schedule: %s is in use by another briefbot process", path)
	}
	if err != nil {
		return nil, fmt.Errorf("schedule: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{subsBucket, postsBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("schedule: prepare %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

type storedSub struct {
	Guild    string    `json:"guild,omitempty"`
	Time     string    `json:"time"`
	Timezone string    `json:"timezone"`
	Since    time.Time `json:"since"`
}

// Put saves sub, replacing any subscription of the same channel.
func (s *Store) Put(sub Subscription) error {
	v, err := json.Marshal(storedSub{sub.Guild, sub.Time, sub.Timezone, sub.Since})
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(subsBucket).Put([]byte(sub.Channel), v)
	})
	if err != nil {
		return fmt.Errorf("schedule: save subscription of channel %s: %w", sub.Channel, err)
	}
	return nil
}

// Delete removes channel's subscription and says whether there was one.
func (s *Store) Delete(channel string) (bool, error) {
	var found bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(subsBucket)
		found = b.Get([]byte(channel)) != nil
		return b.Delete([]byte(channel))
	})
	if err != nil {
		return false, fmt.Errorf("schedule: remove subscription of channel %s: %w", channel, err)
	}
	return found, nil
}

// Subscriptions lists the stored subscriptions by channel.
func (s *Store) Subscriptions() ([]Subscription, error) {
	var subs []Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(subsBucket).ForEach(func(k, v []byte) error {
			var st storedSub
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("channel %s: %w", k, err)
			}
			subs = append(subs, Subscription{Channel: string(k), Guild: st.Guild, Time: st.Time, Timezone: st.Timezone, Since: st.Since})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("schedule: read subscriptions from %s: %w", s.path, err)
	}
	return subs, nil
}

func postKey(channel string, day time.Time) []byte {
	return []byte(channel + "/" + day.Format(briefbot.DateLayout))
}

// Post is the log entry of channel's briefing for day, if there is one.
func (s *Store) Post(channel string, day time.Time) (Post, bool, error) {
	var p Post
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(postsBucket).Get(postKey(channel, day))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &p)
	})
	if err != nil {
		return Post{}, false, fmt.Errorf("schedule: read post log for channel %s: %w", channel, err)
	}
	return p, found, nil
}

// Record writes p to the post log, replacing the entry for its channel and
// day.
func (s *Store) Record(p Post) error {
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(postsBucket).Put(postKey(p.Channel, p.Day), v)
	})
	if err != nil {
		return fmt.Errorf("schedule: record %s post of %s for channel %s: %w", p.State, p.Day.Format(briefbot.DateLayout), p.Channel, err)
	}
	return nil
}

// Posts is the whole post log, ordered by day and then channel.
func (s *Store) Posts() ([]Post, error) {
	var ps []Post
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(postsBucket).ForEach(func(k, v []byte) error {
			var p Post
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			ps = append(ps, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("schedule: read post log from %s: %w", s.path, err)
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if !ps[i].Day.Equal(ps[j].Day) {
			return ps[i].Day.Before(ps[j].Day)
		}
		return ps[i].Channel < ps[j].Channel
	})
	return ps, nil
}
