/*
 * vnet benchmark: the kernel half of the forwarding workloads.
 *
 *   pktgen send  DEV HEXFRAME SECONDS [BATCH]   AF_PACKET + sendmmsg, one pre-built frame, as fast as
 *                                               the kernel takes it, for SECONDS.
 *   pktgen count DEV ETHERTYPE TIMEOUT_S IDLE_MS
 *                                               AF_PACKET bound to DEV for ETHERTYPE (hex; 0003 = all),
 *                                               counts frames until IDLE_MS pass without one (after
 *                                               the first) or TIMEOUT_S in all.
 *
 * Both print one JSON object on stdout. The counter prints {"ready":1} on stderr once bound, so the
 * caller can start the sender only then. Built by bench/run.ts with gcc into a temporary directory
 * at bench time; no binary is ever kept in the repository.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 1024

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int open_bound(const char *dev, int proto) {
  int fd = socket(AF_PACKET, SOCK_RAW, htons(proto));
  if (fd < 0) { perror("socket(AF_PACKET)"); exit(2); }
  unsigned idx = if_nametoindex(dev);
  if (!idx) { fprintf(stderr, "no such device: %s\n", dev); exit(2); }
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(proto);
  sll.sll_ifindex = (int)idx;
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) { perror("bind"); exit(2); }
  return fd;
}

static int do_send(int argc, char **argv) {
  if (argc < 5) return 2;
  const char *dev = argv[2];
  const char *hex = argv[3];
  double seconds = atof(argv[4]);
  int batch = argc > 5 ? atoi(argv[5]) : 256;
  if (batch < 1 || batch > MAX_BATCH) batch = 256;
  size_t hl = strlen(hex);
  if (hl % 2 || hl / 2 < 14 || hl / 2 > 1514) { fprintf(stderr, "bad frame\n"); return 2; }
  static unsigned char frame[1514];
  size_t flen = hl / 2;
  for (size_t i = 0; i < flen; i++) {
    int h = hexval(hex[2 * i]), l = hexval(hex[2 * i + 1]);
    if (h < 0 || l < 0) { fprintf(stderr, "bad hex\n"); return 2; }
    frame[i] = (unsigned char)(h << 4 | l);
  }
  /* Protocol 0 on the socket: it only sends, never receives. */
  int fd = open_bound(dev, 0);
  int one = 1;
  /* PACKET_QDISC_BYPASS: the fastest path AF_PACKET has (the devices here are noqueue anyway). */
  setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
  int sndbuf = 64 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  static struct mmsghdr msgs[MAX_BATCH];
  static struct iovec iov[MAX_BATCH];
  for (int i = 0; i < batch; i++) {
    iov[i].iov_base = frame;
    iov[i].iov_len = flen;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  uint64_t sent = 0, errors = 0, calls = 0;
  uint64_t t0 = now_ns();
  uint64_t end = t0 + (uint64_t)(seconds * 1e9);
  uint64_t t = t0;
  while (t < end) {
    int r = sendmmsg(fd, msgs, (unsigned)batch, 0);
    calls++;
    if (r < 0) {
      if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) { perror("sendmmsg"); return 1; }
      errors++;
    } else sent += (uint64_t)r;
    t = now_ns();
  }
  printf("{\"sent\":%llu,\"errors\":%llu,\"calls\":%llu,\"ns\":%llu}\n", (unsigned long long)sent,
         (unsigned long long)errors, (unsigned long long)calls, (unsigned long long)(t - t0));
  return 0;
}

static int do_count(int argc, char **argv) {
  if (argc < 6) return 2;
  const char *dev = argv[2];
  int proto = (int)strtol(argv[3], NULL, 16);
  double timeout_s = atof(argv[4]);
  int idle_ms = atoi(argv[5]);
  int fd = open_bound(dev, proto);
  int rcvbuf = 256 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  struct timeval tv = { 0, 20000 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  static unsigned char bufs[MAX_BATCH][128];
  static struct mmsghdr msgs[MAX_BATCH];
  static struct iovec iov[MAX_BATCH];
  for (int i = 0; i < MAX_BATCH; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = sizeof bufs[i];
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  /* Drain anything that arrived before we were asked to count (priming traffic). */
  struct tpacket_stats st;
  socklen_t sl = sizeof st;
  while (recvmmsg(fd, msgs, MAX_BATCH, MSG_DONTWAIT, NULL) > 0) {}
  getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl); /* resets the counters */
  fprintf(stderr, "{\"ready\":1}\n");
  fflush(stderr);
  uint64_t start = now_ns();
  uint64_t deadline = start + (uint64_t)(timeout_s * 1e9);
  uint64_t count = 0, first = 0, last = 0;
  for (;;) {
    int r = recvmmsg(fd, msgs, MAX_BATCH, MSG_WAITFORONE, NULL);
    uint64_t t = now_ns();
    if (r > 0) {
      if (!count) first = t;
      count += (uint64_t)r;
      last = t;
    } else if (r < 0 && errno != EAGAIN && errno != EINTR) {
      perror("recvmmsg");
      return 1;
    }
    if (t > deadline) break;
    if (count && t - last > (uint64_t)idle_ms * 1000000ull) break;
  }
  sl = sizeof st;
  memset(&st, 0, sizeof st);
  getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
  printf("{\"count\":%llu,\"firstNs\":%llu,\"lastNs\":%llu,\"sockDrops\":%u}\n", (unsigned long long)count,
         (unsigned long long)first, (unsigned long long)last, st.tp_drops);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "send")) return do_send(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "count")) return do_count(argc, argv);
  fprintf(stderr, "usage: pktgen send DEV HEXFRAME SECONDS [BATCH] | pktgen count DEV ETHERTYPE TIMEOUT_S IDLE_MS\n");
  return 2;
}
