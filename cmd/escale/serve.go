package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"escale/internal/demo"
	"escale/internal/render"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/watch"
	"escale/internal/web"
)

// serveConfig is the configuration of `escale serve`.
type serveConfig struct {
	dataConfig
	Addr         string
	Token        string
	ProtectReads bool
	AllowOpen    bool
	Watch        string
	WatchEvery   time.Duration
	Demo         bool
	LogLevel     slog.Level
	// Limits of one request.
	HeaderTimeout   time.Duration
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxQuery        int
	MaxFilterValues int
	TrustedProxies  []string
}

// runServe serves the API (and the pages) on --addr over the data directory
// --data. It reconciles catalog and index before it listens; SIGINT or
// SIGTERM stop it gracefully, finishing the requests in flight.
func runServe(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	df := addDataFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "adresse d’écoute HOTE:PORT ("+envName("addr")+")")
	tokenFile := fs.String("token-file", "", "fichier contenant le jeton d’accès, à la place de ESCALE_TOKEN ("+envName("token-file")+")")
	protect := fs.Bool("protect-reads", false, "demander le jeton aussi pour lire ("+envName("protect-reads")+")")
	allowOpen := fs.Bool("allow-open", false, "accepter d’écouter au-delà de cette machine sans jeton ("+envName("allow-open")+")")
	watchDir := fs.String("watch", "", "dossier surveillé : chaque fichier déposé est ajouté puis rangé ("+envName("watch")+")")
	watchEvery := fs.Duration("watch-every", 2*time.Second, "intervalle entre deux lectures du dossier surveillé ("+envName("watch-every")+")")
	demoFlag := fs.Bool("demo", false, "démonstration : ajoute les rapports d’exemple intégrés ; sans --data, dans un répertoire temporaire")
	logLevel := fs.String("log-level", "info", "niveau du journal : debug, info, warn, error ("+envName("log-level")+")")
	headerTimeout := fs.Duration("header-timeout", web.DefaultHeaderTimeout, "temps maximal pour recevoir les en-têtes d’une requête ("+envName("header-timeout")+")")
	requestTimeout := fs.Duration("request-timeout", web.DefaultRequestTimeout, "temps maximal d’une requête, envoi du fichier, attente et extraction compris ("+envName("request-timeout")+")")
	shutdownTimeout := fs.Duration("shutdown-timeout", 30*time.Second, "temps laissé aux requêtes en cours à l’arrêt ("+envName("shutdown-timeout")+")")
	maxQuery := fs.Int("max-query", web.DefaultMaxQuery, "longueur maximale d’une recherche, en caractères ("+envName("max-query")+")")
	maxFilterValues := fs.Int("max-filter-values", web.DefaultMaxFilterValues, "valeurs maximales d’un filtre dans une recherche ("+envName("max-filter-values")+")")
	compactIdle := fs.Duration("compact-idle", service.DefaultCompactIdle, "temps sans écriture après lequel l’index est compacté en arrière-plan ; 0 : jamais ("+envName("compact-idle")+")")
	proxies := fs.String("trusted-proxies", "", "adresses ou plages CIDR des mandataires inverses dont on croit X-Forwarded-For, séparées par des virgules ; aucun par défaut ("+envName("trusted-proxies")+")")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale serve [OPTIONS]\n\nDémarre le service web (API et pages) sur le répertoire de données.\nLe jeton d’accès des écritures se donne par ESCALE_TOKEN ou --token-file.\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s ; escale serve --help donne la liste des options", flagError(err))
	}
	if len(rest) > 0 {
		return usageError(e, "argument inattendu « %s » ; escale serve --help donne la liste des options", rest[0])
	}
	if err := applyEnv(fs, e.getenv, "addr", "token-file", "protect-reads", "allow-open", "watch", "watch-every", "log-level",
		"header-timeout", "request-timeout", "shutdown-timeout", "max-query", "max-filter-values", "trusted-proxies", "compact-idle"); err != nil {
		return usageError(e, "%v", err)
	}
	var cfg serveConfig
	demoTemp := *demoFlag && !given(fs, e.getenv, "data")
	if cfg.dataConfig, err = df.resolve(e.getenv); err != nil {
		return usageError(e, "%v", err)
	}
	cfg.Addr, cfg.ProtectReads, cfg.AllowOpen = *addr, *protect, *allowOpen
	cfg.Watch, cfg.WatchEvery, cfg.Demo = *watchDir, *watchEvery, *demoFlag
	cfg.HeaderTimeout, cfg.RequestTimeout, cfg.ShutdownTimeout = *headerTimeout, *requestTimeout, *shutdownTimeout
	cfg.MaxQuery, cfg.MaxFilterValues = *maxQuery, *maxFilterValues
	switch {
	case *compactIdle < 0:
		return usageError(e, "--compact-idle %v : choisissez une durée positive, par exemple 2m, ou 0 pour ne jamais compacter", *compactIdle)
	case *compactIdle == 0:
		cfg.CompactIdle = -1 // never
	default:
		cfg.CompactIdle = *compactIdle
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError(e, "--log-level « %s » : choisissez debug, info, warn ou error", *logLevel)
	}
	if cfg.Token, err = readToken(e.getenv, *tokenFile); err != nil {
		return usageError(e, "%v", err)
	}
	if err := cfg.check(); err != nil {
		return usageError(e, "%v", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if demoTemp {
		dir, err := os.MkdirTemp("", "escale-demo-")
		if err != nil {
			fmt.Fprintf(e.stderr, "escale: démonstration : répertoire temporaire impossible à créer (%v)\n", err)
			return 1
		}
		defer os.RemoveAll(dir)
		cfg.Data = dir
	}
	if err := serve(ctx, cfg, e.stdout, log); err != nil {
		var held *errHeld
		if errors.As(err, &held) {
			fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(held, "serve"))
			return 1
		}
		log.Error("serve", "err", err)
		fmt.Fprintf(e.stderr, "escale: le service s’est arrêté sur une erreur : %v\n", err)
		return 1
	}
	return 0
}

func (c *serveConfig) check() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return fmt.Errorf("--addr « %s » : écrivez HOTE:PORT, par exemple 127.0.0.1:8080", c.Addr)
	}
	if c.Token == "" && !c.AllowOpen && !loopback(host) {
		return fmt.Errorf("--addr %s ouvre le service au réseau sans jeton : définissez ESCALE_TOKEN (ou --token-file), ou confirmez avec --allow-open", c.Addr)
	}
	if c.ProtectReads && c.Token == "" {
		return fmt.Errorf("--protect-reads demande un jeton : définissez ESCALE_TOKEN ou --token-file")
	}
	if c.Watch != "" {
		if st, err := os.Stat(c.Watch); err != nil || !st.IsDir() {
			return fmt.Errorf("--watch « %s » : dossier introuvable ; créez-le ou indiquez un dossier existant", c.Watch)
		}
	}
	if c.WatchEvery < 100*time.Millisecond {
		return fmt.Errorf("--watch-every %v : choisissez au moins 100ms", c.WatchEvery)
	}
	switch {
	case c.HeaderTimeout < 100*time.Millisecond:
		return fmt.Errorf("--header-timeout %v : choisissez au moins 100ms, par exemple 10s", c.HeaderTimeout)
	case c.RequestTimeout < c.Extract.Limits.Timeout:
		return fmt.Errorf("--request-timeout %v est plus court que --timeout %v : une extraction n’aurait pas le temps de finir ; choisissez par exemple 5m", c.RequestTimeout, c.Extract.Limits.Timeout)
	case c.ShutdownTimeout <= 0:
		return fmt.Errorf("--shutdown-timeout %v : choisissez une durée positive, par exemple 30s", c.ShutdownTimeout)
	case c.MaxQuery < 10 || c.MaxQuery > 100000:
		return fmt.Errorf("--max-query %d : choisissez entre 10 et 100000 caractères", c.MaxQuery)
	case c.MaxFilterValues < 1 || c.MaxFilterValues > 10000:
		return fmt.Errorf("--max-filter-values %d : choisissez entre 1 et 10000 valeurs", c.MaxFilterValues)
	}
	if err := web.CheckProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies : %v ; écrivez par exemple 10.0.0.1 ou 10.0.0.0/8", err)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// readToken returns the bearer token: ESCALE_TOKEN, else the token file.
func readToken(getenv func(string) string, file string) (string, error) {
	if t := strings.TrimSpace(getenv("ESCALE_TOKEN")); t != "" {
		return t, nil
	}
	if file == "" {
		return "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--token-file « %s » : fichier illisible ; indiquez un fichier contenant le jeton", file)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("--token-file « %s » est vide : écrivez-y le jeton", file)
	}
	return t, nil
}

// serve runs the server until ctx ends.
func serve(ctx context.Context, cfg serveConfig, stdout io.Writer, log *slog.Logger) error {
	d, err := openDataDir(ctx, cfg.dataConfig, "serve", log)
	if err != nil {
		return err
	}
	defer d.Close()
	// The contract: connections are accepted once the index agrees with
	// the catalog.
	if _, err := d.svc.Reconcile(ctx); err != nil {
		return fmt.Errorf("mise en accord du catalogue et de l’index : %w", err)
	}
	if cfg.Demo {
		if err := ingestDemo(ctx, d.svc, stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s impossible (%w) ; choisissez un autre port avec --addr", cfg.Addr, err)
	}
	url := "http://" + ln.Addr().String()
	d.lock.SetHolder("serve " + url)
	handler := web.New(d.svc, d.index, web.Config{
		Token:           cfg.Token,
		ProtectReads:    cfg.ProtectReads,
		MaxUpload:       cfg.Extract.Limits.MaxSize,
		MaxQuery:        cfg.MaxQuery,
		MaxFilterValues: cfg.MaxFilterValues,
		RequestTimeout:  cfg.RequestTimeout,
		TrustedProxies:  cfg.TrustedProxies,
		Logger:          log,
		// The themes' labels come from the taxonomy the service checks
		// corrections against, an administrator's file included.
		Taxonomy: d.knowledge.Taxonomy,
		// Pictures of PDF pages for the mission page (pdftoppm when
		// installed), kept under the data directory.
		Thumbnails: render.New(render.Options{CacheDir: filepath.Join(cfg.Data, store.ThumbnailDir), Logger: log}),
	})
	srv := web.NewHTTPServer(cfg.Addr, handler, web.Timeouts{Header: cfg.HeaderTimeout, Request: cfg.RequestTimeout}, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watched := make(chan struct{})
	if cfg.Watch != "" {
		w := &watch.Watcher{Dir: cfg.Watch, Every: cfg.WatchEvery, MaxSize: cfg.Extract.Limits.MaxSize, Ingester: d.svc, Logger: log}
		go func() {
			defer close(watched)
			if err := w.Run(ctx); err != nil {
				log.Error("watch", "err", err)
			}
		}()
	} else {
		close(watched)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "url", url, "data", cfg.Data, "token", cfg.Token != "", "watch", cfg.Watch)
	fmt.Fprintf(stdout, "Escale écoute sur %s (données : %s)\n", url, cfg.Data)

	select {
	case err := <-served:
		cancel()
		<-watched
		return fmt.Errorf("serveur HTTP : %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, stop := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer stop()
	err = srv.Shutdown(shutdown)
	<-watched
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("arrêt : %w", err)
	}
	return nil
}

// ingestDemo adds the embedded sample reports.
func ingestDemo(ctx context.Context, svc *service.Service, stdout io.Writer) error {
	reports := demo.Reports()
	fmt.Fprintf(stdout, "Démonstration : ajout de %d rapports d’exemple…\n", len(reports))
	added := 0
	for _, r := range reports {
		res, err := svc.Ingest(ctx, service.Upload{Filename: r.Name, Data: r.Data, Source: "demo"})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(stdout, "  refusé : %s (%v)\n", r.Name, err)
			continue
		}
		if res.Created {
			added++
		}
	}
	fmt.Fprintf(stdout, "Démonstration : %d rapports ajoutés, %d déjà présents.\n", added, len(reports)-added)
	return nil
}
