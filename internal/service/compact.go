package service

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Compacting when idle. Each write adds the index a small segment, and
// Bleve's own merging leaves a few dozen of them, which every search then
// pays for (index/compact.go). The bulk commands compact the index once
// they are done; a server fed report by report has no such end, so it
// compacts once it has had no write for Config.CompactIdle: late enough
// not to merge between the files of a batch, while nobody is writing. The
// index decides whether merging is worth it; the service only picks the
// moment.

// DefaultCompactIdle is how long the index goes without a write before the
// service compacts it, unless Config.CompactIdle says otherwise.
const DefaultCompactIdle = 2 * time.Minute

// compacter is an Index that merges its segments (index.Index).
type compacter interface {
	// Compact merges the segments when that is worth it, and returns how
	// many there were and are: fewer after when it merged.
	Compact(ctx context.Context) (before, after int, err error)
}

// idler runs the compaction once no write has come for a while. Its
// goroutine lives from a write to the compaction that follows: a service
// nobody writes to holds none.
type idler struct {
	delay  time.Duration
	ctx    context.Context // cancelled by Close: stops a compaction under way
	cancel context.CancelFunc

	mu     sync.Mutex
	wrote  chan struct{} // a write since the goroutine last looked (capacity 1)
	alive  bool          // the goroutine runs; under mu
	closed bool          // by Close, under mu: no wg.Add once Close waits
	wg     sync.WaitGroup
}

// newIdler returns the compaction when idle of a service over idx, or nil
// when idx does not compact or cfg says never.
func newIdler(idx Index, cfg Config) *idler {
	if _, ok := idx.(compacter); !ok || cfg.CompactIdle < 0 {
		return nil
	}
	delay := cfg.CompactIdle
	if delay == 0 {
		delay = DefaultCompactIdle
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &idler{delay: delay, ctx: ctx, cancel: cancel, wrote: make(chan struct{}, 1)}
}

// wrote notes that the index was written to: the compaction waits for
// another CompactIdle. Call it after every write to the index.
func (s *Service) wrote() {
	c := s.idle
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if !c.alive {
		c.alive = true
		c.wg.Add(1)
		go s.compactWhenIdle()
		return
	}
	select {
	case c.wrote <- struct{}{}:
	default: // one is noted already
	}
}

// compactWhenIdle waits until no write has come for the idle delay,
// compacts, and returns unless a write came during the compaction.
func (s *Service) compactWhenIdle() {
	c := s.idle
	defer c.wg.Done()
	t := time.NewTimer(c.delay)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.wrote:
			t.Reset(c.delay)
			continue
		case <-t.C:
		}
		_, err := s.Compact(c.ctx)
		switch {
		case err != nil && c.ctx.Err() != nil:
			s.log.Info("index compaction stopped: the service is closing")
			return
		case err != nil:
			s.log.Warn("index compaction failed; searches stay a little slower until the next", "err", err)
		}
		c.mu.Lock()
		select {
		case <-c.wrote: // written to while compacting: wait again
			c.mu.Unlock()
			t.Reset(c.delay)
		default:
			c.alive = false
			c.mu.Unlock()
			return
		}
	}
}

// Compact merges the index's segments now, when the index finds it worth
// it (see index.Index.Compact), after any compaction under way; it says
// whether it merged. The bulk commands call it once done; a server's
// service calls it itself when idle (Config.CompactIdle).
func (s *Service) Compact(ctx context.Context) (bool, error) {
	c, ok := s.index.(compacter)
	if !ok {
		return false, nil
	}
	s.compacting.Lock()
	defer s.compacting.Unlock()
	if err := ctx.Err(); err != nil {
		return false, err
	}
	start := time.Now()
	before, after, err := c.Compact(ctx)
	if err != nil {
		return false, fmt.Errorf("service: compact: %w", err)
	}
	if after >= before {
		return false, nil
	}
	s.log.Info("index compacted", "segments_before", before, "duration", time.Since(start).Round(time.Millisecond), "segments_after", after)
	return true, nil
}

// Close stops the compaction when idle, cancelling one under way, and
// returns once it has stopped: close the index after. Writes after Close
// no longer lead to one.
func (s *Service) Close() {
	c := s.idle
	if c == nil {
		return
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}
