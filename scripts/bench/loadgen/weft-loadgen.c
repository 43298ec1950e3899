/*
 * weft-loadgen: the AMQP 1.0 load generator of `npm run bench` (docs/decisions/0003).
 *
 *   weft-loadgen send    --url HOST:PORT --address A --count N --size S [--presettled]
 *                        [--window W] [--seconds T] [--no-sasl]
 *   weft-loadgen receive --url HOST:PORT --address A --count N [--credit W] [--listen]
 *                        [--idle-ms MS] [--wait-ms MS] [--stall] [--timestamps] [--gap-ms MS]
 *                        [--no-sasl]
 *
 * One thread on Proton C's proactor. The sender encodes its message once and sends the same
 * bytes for every delivery, and the receiver never decodes, so the per-message cost is
 * Proton's framing and nothing else: the generator must never be what the bench measures.
 *
 * Output contract with scripts/bench/loadgen.ts: progress lines (`listening PORT`,
 * `attached`, `stalled`; the sender's `credited` when it first has credit, which through a
 * mesh means its router has learned the address) and, last, one JSON line with the figures.
 * SIGTERM/SIGINT end a run early and still print the JSON line. SIGUSR1 asks a sender to
 * finish: it sends nothing more, waits up to FINISH_GRACE_MS for the outcomes of what is in
 * flight, then closes (ended "finish"); what is still unsettled then was never settled.
 *
 * receive --timestamps adds, for the reconverge scenario (wall-clock epoch milliseconds):
 *   gap FROM_MS TO_MS RECEIVED   no message between FROM_MS and TO_MS, longer than --gap-ms
 *                                (default 100); RECEIVED messages had arrived before it
 *   progress RECEIVED LAST_MS NOW_MS   about once a second: the count and the last arrival
 * Both cost nothing per message beyond the clock reads the receiver already makes.
 */
#define _GNU_SOURCE
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/delivery.h>
#include <proton/link.h>
#include <proton/listener.h>
#include <proton/message.h>
#include <proton/netaddr.h>
#include <proton/proactor.h>
#include <proton/sasl.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <proton/transport.h>

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { TICK_MS = 100, RETRY_MS = 1, CLOSE_GRACE_MS = 2000, STALL_AFTER_MS = 200, FINISH_GRACE_MS = 5000 };

typedef struct options {
  bool send;              /* role: send or receive */
  char host[256], port[32];
  const char *address;
  uint64_t count;         /* 0: unlimited (receive, or send with --seconds) */
  size_t size;
  bool presettled;
  uint64_t window;        /* sender: max unsettled deliveries in flight, 0 = credit only */
  uint32_t credit;        /* receiver: credit window, topped up when half is used */
  bool listen;
  double idle_ms;          /* receiver: end after this long without a message, 0 = never */
  double wait_ms;          /* receiver: end if the first message takes longer, <0 = idle_ms */
  bool timestamps;         /* receiver: print gap and progress lines */
  double gap_ms;
  double seconds;         /* sender: stop after this long, 0 = until count */
  bool stall;
  bool sasl;
} options_t;

typedef struct state {
  options_t o;
  pn_proactor_t *proactor;
  pn_connection_t *connection; /* NULL once its transport has closed */
  pn_link_t *link;
  bool attached, closing, finished, stalling, credited;
  bool finishing;         /* sender: SIGUSR1 seen, waiting for the last outcomes */
  double finish_deadline;
  const char *ended;      /* why the run ended: count, idle, seconds, finish, signal, remote-close, error */
  int exit_code;
  double close_deadline, stall_at, deadline, idle_since;

  /* sender */
  pn_rwbytes_t message;   /* the one encoded message */
  size_t high_water;      /* stop queueing while the session buffers this many bytes */
  bool bytes_blocked;
  uint64_t sent, settled, accepted, rejected, released, modified, other;
  double start, end;

  /* receiver */
  uint64_t received, aborted;
  double first, last, first_wall, last_wall;
  double progress_at;     /* --timestamps: when the next progress line is due */
} state_t;

static volatile sig_atomic_t stop_requested = 0;
static volatile sig_atomic_t finish_requested = 0;
static char scratch[64 * 1024]; /* the receiver reads message bytes here and drops them */

static void on_signal(int sig) {
  if (sig == SIGUSR1) finish_requested = 1;
  else stop_requested = 1;
}

static double clock_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
static double wall_ms(void) { return clock_ms(CLOCK_REALTIME); }

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void fail(state_t *s, const char *what, pn_condition_t *cond) {
  if (cond && pn_condition_is_set(cond)) {
    fprintf(stderr, "weft-loadgen: %s: %s: %s\n", what, pn_condition_get_name(cond),
            pn_condition_get_description(cond));
    s->exit_code = 1;
    if (!s->ended || strcmp(s->ended, "error") != 0) s->ended = "error";
  }
}

/* ---- closing ------------------------------------------------------------------------- */

/* Start an orderly close (flushes queued transfers and dispositions first); the tick forces
 * the end if the peer does not answer within CLOSE_GRACE_MS. */
static void begin_close(state_t *s, const char *why) {
  if (!s->ended) s->ended = why;
  if (s->closing) return;
  s->closing = true;
  s->close_deadline = now_ms() + CLOSE_GRACE_MS;
  if (s->connection) pn_connection_close(s->connection);
  else s->finished = true;
}

/* ---- sender -------------------------------------------------------------------------- */

/* Encode the message once: properties.to = address, body = one data section of `size` bytes. */
static void encode_message(state_t *s) {
  pn_message_t *m = pn_message();
  char *body = malloc(s->o.size ? s->o.size : 1);
  if (!m || !body) { perror("weft-loadgen: malloc"); exit(1); }
  for (size_t i = 0; i < s->o.size; i++) body[i] = (char)('a' + i % 26);
  pn_message_set_address(m, s->o.address);
  pn_message_set_inferred(m, true); /* binary body becomes a data section, not amqp-value */
  pn_data_put_binary(pn_message_body(m), pn_bytes(s->o.size, body));
  s->message = (pn_rwbytes_t){0, NULL};
  ssize_t n = pn_message_encode2(m, &s->message);
  if (n < 0) { fprintf(stderr, "weft-loadgen: encode failed\n"); exit(1); }
  s->message.size = (size_t)n;
  free(body);
  pn_message_free(m);
}

static void send_some(state_t *s) {
  pn_link_t *l = s->link;
  if (!l || s->closing || s->finishing || !pn_link_is_sender(l)) return;
  pn_session_t *ssn = pn_link_session(l);
  s->bytes_blocked = false;
  if (!s->credited && pn_link_credit(l) > 0) {
    s->credited = true;
    printf("credited\n");
    fflush(stdout);
  }
  while (pn_link_credit(l) > 0) {
    if (s->o.count && s->sent >= s->o.count) break;
    if (s->o.window && !s->o.presettled && s->sent - s->settled >= s->o.window) break;
    if (s->deadline && now_ms() >= s->deadline) { begin_close(s, "seconds"); return; }
    /* Proton copies every pn_link_send; with large messages, wait for the socket to drain. */
    if (pn_session_outgoing_bytes(ssn) >= s->high_water) { s->bytes_blocked = true; break; }
    uint64_t tag = s->sent;
    pn_delivery_t *d = pn_delivery(l, pn_dtag((const char *)&tag, sizeof tag));
    pn_link_send(l, s->message.start, s->message.size);
    pn_link_advance(l);
    if (s->o.presettled) pn_delivery_settle(d);
    if (s->sent++ == 0) s->start = now_ms();
  }
  if (s->o.presettled && s->o.count && s->sent >= s->o.count) begin_close(s, "count");
}

/* A disposition arrived for one of our unsettled deliveries. */
static void on_outcome(state_t *s, pn_delivery_t *d) {
  uint64_t state = pn_delivery_remote_state(d);
  if (state == 0 || state == PN_RECEIVED) {
    if (!pn_delivery_settled(d)) return; /* not an outcome yet */
  }
  switch (state) {
    case PN_ACCEPTED: s->accepted++; break;
    case PN_REJECTED: s->rejected++; break;
    case PN_RELEASED: s->released++; break;
    case PN_MODIFIED: s->modified++; break;
    default: s->other++; break;
  }
  pn_delivery_settle(d);
  s->settled++;
  s->end = now_ms();
  if (s->o.count && s->settled >= s->o.count) begin_close(s, "count");
  else if (s->finishing && s->settled >= s->sent) begin_close(s, "finish");
  else send_some(s);
}

/* ---- receiver ------------------------------------------------------------------------ */

static void top_up_credit(state_t *s, pn_link_t *l) {
  int credit = pn_link_credit(l);
  if (credit <= (int)s->o.credit / 2) pn_link_flow(l, (int)s->o.credit - credit);
}

static void on_message(state_t *s, pn_delivery_t *d) {
  pn_link_t *l = pn_delivery_link(d);
  if (!pn_delivery_readable(d)) return;
  ssize_t n;
  while ((n = pn_link_recv(l, scratch, sizeof scratch)) > 0) { /* drop the bytes */ }
  if (n == PN_ABORTED) { /* the sender gave up on this message: it is not received */
    s->aborted++;
    pn_delivery_settle(d);
    top_up_credit(s, l);
    return;
  }
  if (pn_delivery_partial(d)) return; /* more frames to come */
  pn_link_advance(l);
  if (!pn_delivery_settled(d)) pn_delivery_update(d, PN_ACCEPTED);
  pn_delivery_settle(d);

  double t = now_ms();
  double wall = wall_ms();
  if (s->received == 0) { s->first = t; s->first_wall = wall; }
  else if (s->o.timestamps && t - s->last > s->o.gap_ms) {
    printf("gap %.3f %.3f %" PRIu64 "\n", s->last_wall, wall, s->received);
    fflush(stdout);
  }
  s->received++;
  s->last = t;
  s->last_wall = wall;
  s->idle_since = t;
  if (s->o.count && s->received >= s->o.count) begin_close(s, "count");
  else top_up_credit(s, l);
}

/* ---- links --------------------------------------------------------------------------- */

/* Client side: open the connection, a session and our one link. */
static void open_client(state_t *s, pn_connection_t *c) {
  pn_connection_set_hostname(c, s->o.host);
  pn_connection_open(c);
  pn_session_t *ssn = pn_session(c);
  pn_session_open(ssn);
  pn_link_t *l;
  if (s->o.send) {
    l = pn_sender(ssn, "weft-loadgen-send");
    pn_terminus_set_address(pn_link_target(l), s->o.address);
    pn_link_set_snd_settle_mode(l, s->o.presettled ? PN_SND_SETTLED : PN_SND_UNSETTLED);
  } else {
    l = pn_receiver(ssn, "weft-loadgen-receive");
    pn_terminus_set_address(pn_link_source(l), s->o.address);
  }
  pn_link_set_rcv_settle_mode(l, PN_RCV_FIRST);
  pn_link_open(l);
  if (!s->o.send) pn_link_flow(l, (int)s->o.credit);
  s->link = l;
}

/* Listening side (--listen): answer the peer's attach with the matching role. */
static void answer_attach(state_t *s, pn_link_t *l) {
  if (pn_link_state(l) & PN_LOCAL_ACTIVE) return;
  if (pn_link_is_sender(l) != s->o.send) {
    pn_condition_set_name(pn_link_condition(l), "amqp:not-implemented");
    pn_link_close(l);
    return;
  }
  pn_terminus_copy(pn_link_source(l), pn_link_remote_source(l));
  pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
  pn_link_open(l);
  if (!s->o.send) pn_link_flow(l, (int)s->o.credit);
  s->link = l;
}

static void on_attached(state_t *s) {
  if (s->attached) return;
  s->attached = true;
  s->idle_since = now_ms();
  if (s->o.seconds > 0) s->deadline = now_ms() + s->o.seconds * 1e3;
  if (s->o.stall) { s->stalling = true; s->stall_at = now_ms() + STALL_AFTER_MS; }
  printf("attached\n");
  fflush(stdout);
  send_some(s);
}

/* ---- the tick ------------------------------------------------------------------------ */

/* Runs in the connection's own batch (PN_CONNECTION_WAKE): Proton objects are only touched
 * from the batch that owns them. */
static void on_wake(state_t *s) {
  double t = now_ms();
  if (stop_requested) begin_close(s, "signal");
  if (s->o.send && finish_requested && !s->finishing) {
    s->finishing = true;
    s->finish_deadline = t + FINISH_GRACE_MS;
    if (s->o.presettled || s->settled >= s->sent) begin_close(s, "finish");
  }
  if (s->finishing && t >= s->finish_deadline) begin_close(s, "finish");
  if (!s->o.send && s->attached) {
    /* Before the first message the wait may be longer: a mesh learns the address first. */
    double limit = s->received || s->o.wait_ms < 0 ? s->o.idle_ms : s->o.wait_ms;
    if (limit > 0 && t - s->idle_since > limit) begin_close(s, "idle");
    if (s->o.timestamps && t >= s->progress_at) {
      printf("progress %" PRIu64 " %.3f %.3f\n", s->received, s->last_wall, wall_ms());
      fflush(stdout);
      s->progress_at = t + 1000;
    }
  }
  if (s->o.send && s->deadline && t >= s->deadline) begin_close(s, "seconds");
  if (s->o.send) send_some(s);
}

static void print_result(state_t *s);

/* Stop servicing the socket for good: the peer's writes back up into the kernel buffers and
 * then into whatever the peer (the router) buffers. */
static void stall_forever(state_t *s) {
  printf("stalled\n");
  fflush(stdout);
  while (!stop_requested) pause();
  s->ended = "signal";
  print_result(s);
  exit(0);
}

static void on_timeout(state_t *s) {
  double t = now_ms();
  if (s->stalling && t >= s->stall_at) stall_forever(s);
  if (s->closing && t >= s->close_deadline) s->finished = true;
  if (!s->connection && stop_requested) begin_close(s, "signal");
  if (s->connection) pn_connection_wake(s->connection);
  pn_proactor_set_timeout(s->proactor, s->bytes_blocked ? RETRY_MS : TICK_MS);
}

/* ---- events -------------------------------------------------------------------------- */

static void handle(state_t *s, pn_event_t *e) {
  switch (pn_event_type(e)) {
    case PN_LISTENER_OPEN: {
      char port[64] = "";
      pn_netaddr_host_port(pn_listener_addr(pn_event_listener(e)), NULL, 0, port, sizeof port);
      printf("listening %s\n", port);
      fflush(stdout);
      break;
    }
    case PN_LISTENER_ACCEPT: /* one peer per run: stop listening once it is here */
      pn_listener_accept2(pn_event_listener(e), NULL, NULL);
      pn_listener_close(pn_event_listener(e));
      break;
    case PN_LISTENER_CLOSE:
      fail(s, "listener", pn_listener_condition(pn_event_listener(e)));
      if (s->exit_code) s->finished = true;
      break;
    case PN_CONNECTION_INIT: {
      pn_connection_t *c = pn_event_connection(e);
      char id[64];
      snprintf(id, sizeof id, "weft-loadgen-%d", (int)getpid());
      pn_connection_set_container(c, id);
      s->connection = c;
      if (!s->o.listen) open_client(s, c);
      break;
    }
    case PN_CONNECTION_BOUND: {
      pn_transport_t *t = pn_event_transport(e);
      if (s->o.listen) { /* accept SASL ANONYMOUS or a bare AMQP header */
        pn_transport_require_auth(t, false);
        pn_sasl_allowed_mechs(pn_sasl(t), "ANONYMOUS");
      } else if (s->o.sasl) {
        pn_sasl_allowed_mechs(pn_sasl(t), "ANONYMOUS");
      }
      break;
    }
    case PN_CONNECTION_REMOTE_OPEN:
      if (!(pn_connection_state(pn_event_connection(e)) & PN_LOCAL_ACTIVE))
        pn_connection_open(pn_event_connection(e));
      break;
    case PN_SESSION_REMOTE_OPEN:
      if (!(pn_session_state(pn_event_session(e)) & PN_LOCAL_ACTIVE))
        pn_session_open(pn_event_session(e));
      break;
    case PN_LINK_REMOTE_OPEN:
      if (s->o.listen) answer_attach(s, pn_event_link(e));
      if (pn_event_link(e) == s->link) on_attached(s);
      break;
    case PN_LINK_FLOW:
      send_some(s);
      break;
    case PN_DELIVERY: {
      pn_delivery_t *d = pn_event_delivery(e);
      if (pn_link_is_sender(pn_delivery_link(d))) on_outcome(s, d);
      else on_message(s, d);
      break;
    }
    case PN_CONNECTION_WAKE:
      on_wake(s);
      break;
    case PN_LINK_REMOTE_CLOSE:
    case PN_LINK_REMOTE_DETACH:
      fail(s, "link closed by peer", pn_link_remote_condition(pn_event_link(e)));
      begin_close(s, "remote-close");
      break;
    case PN_SESSION_REMOTE_CLOSE:
      fail(s, "session closed by peer", pn_session_remote_condition(pn_event_session(e)));
      begin_close(s, "remote-close");
      break;
    case PN_CONNECTION_REMOTE_CLOSE:
      fail(s, "connection closed by peer", pn_connection_remote_condition(pn_event_connection(e)));
      begin_close(s, "remote-close");
      break;
    case PN_TRANSPORT_CLOSED:
      if (!s->closing) fail(s, "transport", pn_transport_condition(pn_event_transport(e)));
      if (!s->ended) s->ended = "remote-close";
      if (s->o.send && s->o.presettled) s->end = now_ms(); /* every transfer is on the wire */
      s->connection = NULL;
      s->finished = true;
      break;
    case PN_PROACTOR_TIMEOUT:
      on_timeout(s);
      break;
    case PN_PROACTOR_INACTIVE:
      s->finished = true;
      break;
    default:
      break;
  }
}

/* ---- output -------------------------------------------------------------------------- */

static void print_result(state_t *s) {
  const char *ended = s->ended ? s->ended : "error";
  if (s->o.send) {
    double end = s->end ? s->end : now_ms();
    double seconds = s->sent ? (end - s->start) / 1e3 : 0;
    printf("{\"role\":\"send\",\"sent\":%" PRIu64 ",\"accepted\":%" PRIu64 ",\"rejected\":%" PRIu64
           ",\"released\":%" PRIu64 ",\"modified\":%" PRIu64 ",\"other\":%" PRIu64
           ",\"unsettled\":%" PRIu64 ",\"presettled\":%s,\"seconds\":%.6f,\"cpu_seconds\":%.6f,\"ended\":\"%s\"}\n",
           s->sent, s->accepted, s->rejected, s->released, s->modified, s->other,
           s->o.presettled ? 0 : s->sent - s->settled, s->o.presettled ? "true" : "false",
           seconds, cpu_seconds(), ended);
  } else {
    double seconds = s->received ? (s->last - s->first) / 1e3 : 0;
    printf("{\"role\":\"receive\",\"received\":%" PRIu64 ",\"seconds\":%.6f,\"first_ms\":%.3f"
           ",\"last_ms\":%.3f,\"aborted\":%" PRIu64 ",\"cpu_seconds\":%.6f,\"ended\":\"%s\"}\n",
           s->received, seconds, s->first_wall, s->last_wall, s->aborted, cpu_seconds(), ended);
  }
  fflush(stdout);
}

/* ---- options ------------------------------------------------------------------------- */

static void usage(FILE *f) {
  fprintf(f,
          "usage: weft-loadgen send --url HOST:PORT [--address A] (--count N | --seconds T)\n"
          "                         [--size S] [--presettled] [--window W] [--no-sasl]\n"
          "       weft-loadgen receive --url HOST:PORT [--address A] [--count N] [--credit W]\n"
          "                         [--listen] [--idle-ms MS] [--wait-ms MS] [--stall]\n"
          "                         [--timestamps] [--gap-ms MS] [--no-sasl]\n");
}

static uint64_t parse_u64(const char *name, const char *v) {
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  if (!*v || *end) { fprintf(stderr, "weft-loadgen: --%s: not a number: %s\n", name, v); exit(2); }
  return (uint64_t)n;
}

static void parse_url(options_t *o, const char *url) {
  if (strncmp(url, "amqp://", 7) == 0) url += 7;
  const char *colon = strrchr(url, ':');
  if (!colon || colon == url || strlen(url) >= sizeof o->host || strlen(colon + 1) >= sizeof o->port) {
    fprintf(stderr, "weft-loadgen: --url must be HOST:PORT, got %s\n", url);
    exit(2);
  }
  snprintf(o->host, sizeof o->host, "%.*s", (int)(colon - url), url);
  snprintf(o->port, sizeof o->port, "%s", colon + 1);
}

static void parse_options(options_t *o, int argc, char **argv) {
  static const struct option longs[] = {
    {"url", 1, 0, 'u'}, {"address", 1, 0, 'a'}, {"count", 1, 0, 'n'}, {"size", 1, 0, 's'},
    {"presettled", 0, 0, 'p'}, {"window", 1, 0, 'w'}, {"credit", 1, 0, 'c'},
    {"listen", 0, 0, 'l'}, {"idle-ms", 1, 0, 'i'}, {"seconds", 1, 0, 't'},
    {"stall", 0, 0, 'S'}, {"no-sasl", 0, 0, 'N'}, {"rate", 1, 0, 'r'}, {"help", 0, 0, 'h'},
    {"wait-ms", 1, 0, 'W'}, {"timestamps", 0, 0, 'T'}, {"gap-ms", 1, 0, 'g'},
    {0, 0, 0, 0}};
  if (argc < 2 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "receive") != 0)) {
    usage(stderr);
    exit(2);
  }
  *o = (options_t){.send = argv[1][0] == 's', .address = "bench", .size = 100, .credit = 1000,
                   .idle_ms = 3000, .wait_ms = -1, .gap_ms = 100, .sasl = true};
  bool have_url = false;
  optind = 2;
  int c;
  while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
    switch (c) {
      case 'u': parse_url(o, optarg); have_url = true; break;
      case 'a': o->address = optarg; break;
      case 'n': o->count = parse_u64("count", optarg); break;
      case 's': o->size = (size_t)parse_u64("size", optarg); break;
      case 'p': o->presettled = true; break;
      case 'w': o->window = parse_u64("window", optarg); break;
      case 'c': o->credit = (uint32_t)parse_u64("credit", optarg); break;
      case 'l': o->listen = true; break;
      case 'i': o->idle_ms = (double)parse_u64("idle-ms", optarg); break;
      case 't': o->seconds = atof(optarg); break;
      case 'S': o->stall = true; break;
      case 'W': o->wait_ms = (double)parse_u64("wait-ms", optarg); break;
      case 'T': o->timestamps = true; break;
      case 'g': o->gap_ms = (double)parse_u64("gap-ms", optarg); break;
      case 'N': o->sasl = false; break;
      case 'r': fprintf(stderr, "weft-loadgen: --rate is not implemented yet\n"); exit(2);
      case 'h': usage(stdout); exit(0);
      default: usage(stderr); exit(2);
    }
  }
  if (!have_url) { fprintf(stderr, "weft-loadgen: --url is required\n"); exit(2); }
  if (o->send && !o->count && o->seconds <= 0) {
    fprintf(stderr, "weft-loadgen: send needs --count or --seconds\n");
    exit(2);
  }
  if (o->send && o->listen) { fprintf(stderr, "weft-loadgen: only receive can --listen\n"); exit(2); }
  if (o->credit < 1) o->credit = 1;
}

int main(int argc, char **argv) {
  static state_t s;
  parse_options(&s.o, argc, argv);
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  if (s.o.send) {
    encode_message(&s);
    size_t floor = 1u << 20;
    s.high_water = 4 * s.message.size > floor ? 4 * s.message.size : floor;
  }
  s.proactor = pn_proactor();
  char addr[PN_MAX_ADDR];
  pn_proactor_addr(addr, sizeof addr, s.o.host, s.o.port);
  if (s.o.listen) pn_proactor_listen(s.proactor, pn_listener(), addr, 16);
  else pn_proactor_connect2(s.proactor, NULL, NULL, addr);
  pn_proactor_set_timeout(s.proactor, TICK_MS);

  while (!s.finished) {
    pn_event_batch_t *batch = pn_proactor_wait(s.proactor);
    pn_event_t *e;
    while ((e = pn_event_batch_next(batch))) handle(&s, e);
    pn_proactor_done(s.proactor, batch);
  }
  print_result(&s);
  return s.exit_code;
}
