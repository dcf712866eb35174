// The MySQL source's row parser in C, for the vector path (see ../mysql-native-rows.ts): takes the
// whole row packets of one socket read and parses each field into the block's typed arrays, exactly
// as the generated JavaScript parser (../mysql-vector-row-parser.ts) does on its inline paths.
//
// It only does what is certain: integers and DECIMALs of up to 15 digits (9 for the narrower
// widths) with all their fraction digits, ASCII text of up to 72 bytes, DATE and TIMESTAMP as
// `YYYY-MM-DD[ HH:MM:SS[.f...]]` in range, and nulls. A row with any other field
// (a zero date, a long or non-ASCII text, a number past 15 digits, anything malformed) is left
// untouched as a whole, where the parser stops: the JavaScript parser then takes that row and
// writes every field of it again, so what it gives (or the error it raises) is its own.
//
// N-API only (node_api.h), no other dependency.
#include <node_api.h>
#include <stdint.h>
#include <string.h>

// Kinds (../mysql-vector-kinds.ts) and roles (../mysql-row-tracking.ts).
enum { INT = 0, DECIMAL = 1, DATE = 2, TIMESTAMP = 3, TEXT = 4 };
enum { CURSOR = 1, KEY = 2 };
#define BLOCK_ROWS 2048
#define MAX_COLUMNS 4096
#define MAX_PIECES 6
#define MAX_KEYS 64
// Seconds a double holds exactly as microseconds (EXACT_SECONDS in the JavaScript parser).
#define EXACT_SECONDS 9000000000LL

typedef struct {
  int32_t code, bytes, scale, role, key;
  int32_t *nulls;
  void *values;
  int32_t *pieces[MAX_PIECES];
  int32_t piece_count;
} column_t;

typedef struct {
  double value;
  int32_t start, end;
} cursor_at_t;

static const int64_t POWERS[16] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000LL, 100000000000LL,
                                    1000000000000LL, 10000000000000LL, 100000000000000LL, 1000000000000000LL};

static inline uint64_t load8(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

// The low n bytes of w (0 <= n <= 8).
static inline uint64_t low_bytes(uint64_t w, int32_t n) { return n >= 8 ? w : w & ((1ULL << (8 * n)) - 1); }

// The value of the n (0 to 8) ASCII digits at p, 8 of them read at once (8 bytes from p must be
// readable); -1 if one is not a digit. The eight-digit step is D. Lemire's.
static inline int64_t digits8(const uint8_t *p, int32_t n) {
  if (n == 0) return 0;
  // The digits in the high bytes, '0's below them: the same number as 8 digits.
  uint64_t w = (load8(p) << (8 * (8 - n))) | (0x3030303030303030ULL & ((1ULL << (8 * (8 - n))) - 1));
  // Every byte 0x30-0x39: high nibble 3, and still 3 with 6 added (0x3a-0x3f become 0x40-0x45).
  if ((w & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL || ((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL) return -1;
  w -= 0x3030303030303030ULL;
  w = w * 10 + (w >> 8);
  return (int64_t)((((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) + (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32);
}

// The value of the n (0 to 16) digits at p, 16 bytes from p readable; -1 if one is not a digit.
static inline int64_t digits16(const uint8_t *p, int32_t n) {
  if (n <= 8) return digits8(p, n);
  int64_t high = digits8(p, n - 8), low = digits8(p + n - 8, 8);
  return (high | low) < 0 ? -1 : high * 100000000 + low;
}

// The same one byte at a time, for fields near the end of the buffer.
static int64_t digits_slow(const uint8_t *p, int32_t n) {
  int64_t v = 0;
  for (int32_t j = 0; j < n; j++) {
    int d = (int)p[j] - 48;
    if ((unsigned)d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

// Two digits at p; 1000 if either is not one.
static inline int digit2(const uint8_t *p) {
  unsigned a = (unsigned)p[0] - 48, b = (unsigned)p[1] - 48;
  return (a > 9 || b > 9) ? 1000 : (int)(a * 10 + b);
}

static int days_in_month(int y, int m) {
  if (m == 2) return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
  return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

// Days from 1970-01-01 (H. Hinnant's days_from_civil), years 1 to 9999.
static inline int64_t days_from_civil(int64_t year, int m, int d) {
  int64_t y = m <= 2 ? year - 1 : year;
  int64_t era = y / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The date at p (`YYYY-MM-DD`): days since the epoch; 0 if not a date this parser takes.
static inline int parse_date(const uint8_t *p, int64_t *days) {
  if (p[4] != '-' || p[7] != '-') return 0;
  int y1 = digit2(p), y2 = digit2(p + 2), m = digit2(p + 5), d = digit2(p + 8);
  if (y1 > 99 || y2 > 99 || m > 12 || d > 31) return 0;
  int y = y1 * 100 + y2;
  // Zero dates (they become null) are the JavaScript parser's.
  if (y == 0 || m == 0 || d == 0 || (d > 28 && d > days_in_month(y, m))) return 0;
  *days = days_from_civil(y, m, d);
  return 1;
}

// One field at [start, end) of column c into row r; 0 to leave the row to JavaScript. `limit`:
// the end of the buffer (fields are read 8 bytes at a time where that stays inside it).
static inline int parse_value(column_t *c, const uint8_t *buf, int32_t start, int32_t end, size_t limit, int32_t r, int32_t *piece_max, double *value) {
  int32_t len = end - start;
  const uint8_t *s = buf + start;
  if (c->code == TEXT) {
    // As the JavaScript parser: a value it cannot read 12 bytes at a time inside the buffer is held
    // whole (its wholeText). Inside it, the reads below end at most 7 bytes past the value.
    if (len > 72 || (size_t)end + 12 > limit) return 0;
    int32_t pieces = len == 0 ? 1 : (len + 11) / 12;
    if (pieces > c->piece_count) return 0;
    int32_t at = r * 4;
    // 12 bytes a piece, read as 8 and 8 and cut to the value's own.
    uint64_t high = 0;
    for (int32_t p = 0, j = 0; p < pieces; p++, j += 12) {
      int32_t n = len - j < 12 ? len - j : 12;
      uint64_t w0 = low_bytes(load8(s + j), n), w1 = n > 8 ? low_bytes(load8(s + j + 8), n - 8) : 0;
      high |= w0 | w1;
      int32_t *words = c->pieces[p] + at;
      words[0] = n;
      memcpy(words + 1, &w0, 8);
      uint32_t w1low = (uint32_t)w1;
      memcpy(words + 3, &w1low, 4);
    }
    if (high & 0x8080808080808080ULL) return 0;
    for (int32_t q = pieces; q < c->piece_count; q++) memset(c->pieces[q] + at, 0, 16);
    if (pieces > *piece_max) *piece_max = pieces;
    return 1;
  }
  // Numbers read at most 33 bytes from the field's start (a sign, 16 digits, the point, 16 more),
  // timestamps 28; near the end of the buffer, one byte at a time.
  int wide = (size_t)start + 33 <= limit;
  if (c->code == INT || c->code == DECIMAL) {
    int negative = len > 0 && s[0] == '-';
    const uint8_t *d = s + negative;
    int32_t n = len - negative;
    int scale = c->code == DECIMAL ? c->scale : 0;
    // With a scale, the point where it has all its fraction digits; none otherwise.
    int32_t whole = scale > 0 ? n - 1 - scale : n;
    int32_t digits = scale > 0 ? n - 1 : n;
    if (digits <= 0 || digits > (c->bytes == 8 ? 15 : 9) || whole < 0 || (scale > 0 && d[whole] != '.')) return 0;
    int64_t v;
    if (wide) {
      int64_t a = digits16(d, whole), b = scale > 0 ? digits16(d + whole + 1, scale) : 0;
      if ((a | b) < 0) return 0;
      v = scale > 0 ? a * POWERS[scale] + b : a;
    } else {
      int64_t a = digits_slow(d, whole), b = scale > 0 ? digits_slow(d + whole + 1, scale) : 0;
      if ((a | b) < 0) return 0;
      v = scale > 0 ? a * POWERS[scale] + b : a;
    }
    if (negative) v = -v;
    switch (c->bytes) {
      case 8: ((int64_t *)c->values)[r] = v; break;
      case 4: ((int32_t *)c->values)[r] = (int32_t)v; break;
      // As a JavaScript typed array stores a number: its low bits.
      case 2: ((uint16_t *)c->values)[r] = (uint16_t)(uint64_t)v; break;
      default: ((uint8_t *)c->values)[r] = (uint8_t)(uint64_t)v; break;
    }
    *value = (double)v;
    return 1;
  }
  if (c->code == DATE) {
    int64_t days;
    if (len != 10 || !parse_date(s, &days)) return 0;
    ((int32_t *)c->values)[r] = (int32_t)days;
    *value = (double)days;
    return 1;
  }
  // TIMESTAMP: `YYYY-MM-DD HH:MM:SS`, then `.` and up to 6 digits.
  int64_t days;
  if (len < 19 || len > 26 || s[10] != ' ' || s[13] != ':' || s[16] != ':' || (len > 19 && s[19] != '.')) return 0;
  if (!parse_date(s, &days)) return 0;
  int h = digit2(s + 11), mi = digit2(s + 14), se = digit2(s + 17);
  if (h > 23 || mi > 59 || se > 59) return 0;
  int32_t k = len > 20 ? len - 20 : 0;
  int64_t us = wide ? digits8(s + 20, k) : digits_slow(s + 20, k);
  if (us < 0) return 0;
  us *= POWERS[6 - k];
  int64_t total = days * 86400 + h * 3600 + mi * 60 + se;
  if (total >= EXACT_SECONDS || total <= -EXACT_SECONDS) return 0;
  int64_t v = total * 1000000 + us;
  ((int64_t *)c->values)[r] = v;
  *value = (double)v;
  return 1;
}

// One row packet's payload [at, stop) into row r; 0 to leave it to JavaScript (nothing then counts).
static int parse_row(column_t *columns, int32_t n, const uint8_t *buf, size_t limit, int32_t at, int32_t stop, int32_t r, uint8_t *has_null,
                     int32_t *piece_counts, int32_t *key_at, int32_t *cursor_column, cursor_at_t *cursor) {
  int32_t pos = at;
  for (int32_t i = 0; i < n; i++) {
    column_t *c = &columns[i];
    if (pos >= stop) return 0;
    uint32_t len = buf[pos++];
    if (len == 0xfb) {
      // A null key field: start -1. A null cursor value widens nothing.
      if (c->role & KEY) key_at[2 * c->key] = key_at[2 * c->key + 1] = -1;
      c->nulls[r >> 5] &= ~(int32_t)(1u << (r & 31));
      has_null[i] = 1;
      if (c->code == TEXT)
        for (int32_t q = 0; q < c->piece_count; q++) memset(c->pieces[q] + r * 4, 0, 16);
      continue;
    }
    if (len > 0xfb) {
      if (len == 0xfc && stop - pos >= 2) {
        len = buf[pos] | (buf[pos + 1] << 8);
        pos += 2;
      } else if (len == 0xfd && stop - pos >= 3) {
        len = buf[pos] | (buf[pos + 1] << 8) | ((uint32_t)buf[pos + 2] << 16);
        pos += 3;
      } else {
        return 0;
      }
    }
    if ((int64_t)stop - pos < (int64_t)len) return 0;
    int32_t start = pos, end = pos + (int32_t)len;
    pos = end;
    double value = 0;
    if (!parse_value(c, buf, start, end, limit, r, &piece_counts[i], &value)) return 0;
    if (c->role & KEY) {
      key_at[2 * c->key] = start;
      key_at[2 * c->key + 1] = end;
    }
    if (c->role & CURSOR) {
      *cursor_column = 1;
      cursor->value = value;
      cursor->start = start;
      cursor->end = end;
    }
  }
  return pos == stop;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

// The call's `count` arguments into argv; 0 if it has another number of them.
static int arguments(napi_env env, napi_callback_info info, size_t count, napi_value *argv) {
  size_t argc = count;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == count;
}

static int typed_data(napi_env env, napi_value value, void **data, size_t *bytes) {
  napi_typedarray_type type;
  size_t length, offset;
  napi_value arraybuffer;
  if (napi_get_typedarray_info(env, value, &type, &length, data, &arraybuffer, &offset) != napi_ok) return 0;
  size_t width = type == napi_int8_array || type == napi_uint8_array || type == napi_uint8_clamped_array ? 1
                 : type == napi_int16_array || type == napi_uint16_array ? 2
                 : type == napi_float64_array || type == napi_bigint64_array || type == napi_biguint64_array ? 8 : 4;
  *bytes = length * width;
  return 1;
}

static int typed_element(napi_env env, napi_value list, uint32_t index, void **data, size_t *bytes) {
  napi_value value;
  return napi_get_element(env, list, index, &value) == napi_ok && typed_data(env, value, data, bytes);
}

// What block() keeps of a block, in an ArrayBuffer its Block holds: where its arrays' memory is.
// The arrays are the Block's own and never replaced (a piece added makes a new one), so the
// pointers stay good while the Block lives.
typedef struct {
  uint32_t magic;
  int32_t n, keys;
  uint8_t *has_null;
  column_t columns[];
} block_t;
#define BLOCK_MAGIC 0x5b10c4u

// block(plan, pieceArrays, targets): a handle on a block's arrays for rows(). plan: column count,
// key count, then per column its kind, width, scale, role and key position; pieceArrays: per column
// the piece arrays it has; targets: hasNull, then per column its validity words and either its
// values or its piece arrays.
static napi_value block(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!arguments(env, info, 3, argv)) return fail(env, "block() takes 3 arguments");
  void *data;
  size_t bytes;
  if (!typed_data(env, argv[0], &data, &bytes) || bytes < 8) return fail(env, "block(): plan is not an Int32Array");
  const int32_t *plan = data;
  int32_t n = plan[0], keys = plan[1];
  if (n <= 0 || n > MAX_COLUMNS || keys < 0 || keys > MAX_KEYS || bytes < (size_t)(4 * (2 + 5 * n))) return fail(env, "block(): a bad plan");
  if (!typed_data(env, argv[1], &data, &bytes) || bytes < (size_t)(4 * n)) return fail(env, "block(): pieceArrays is too short");
  const int32_t *piece_arrays = data;
  napi_value targets = argv[2];
  napi_value handle;
  block_t *b;
  if (napi_create_arraybuffer(env, sizeof(block_t) + sizeof(column_t) * (size_t)n, (void **)&b, &handle) != napi_ok) return fail(env, "block(): out of memory");
  b->magic = BLOCK_MAGIC;
  b->n = n;
  b->keys = keys;
  uint32_t t = 0;
  if (!typed_element(env, targets, t++, &data, &bytes) || bytes < (size_t)n) return fail(env, "block(): no hasNull");
  b->has_null = data;
  for (int32_t i = 0; i < n; i++) {
    column_t *c = &b->columns[i];
    c->code = plan[2 + 5 * i];
    c->bytes = plan[3 + 5 * i];
    c->scale = plan[4 + 5 * i];
    c->role = plan[5 + 5 * i];
    c->key = plan[6 + 5 * i];
    if (c->code < INT || c->code > TEXT || (c->role & KEY && (c->key < 0 || c->key >= keys)) || c->scale < 0 || c->scale > 15) return fail(env, "block(): a bad plan");
    if (!typed_element(env, targets, t++, &data, &bytes) || bytes < BLOCK_ROWS / 8) return fail(env, "block(): the arrays do not match the plan");
    c->nulls = data;
    c->values = NULL;
    c->piece_count = 0;
    if (c->code == TEXT) {
      c->piece_count = piece_arrays[i] < MAX_PIECES ? piece_arrays[i] : MAX_PIECES;
      for (int32_t p = 0; p < piece_arrays[i]; p++) {
        if (!typed_element(env, targets, t++, &data, &bytes) || bytes < BLOCK_ROWS * 16) return fail(env, "block(): the arrays do not match the plan");
        if (p < MAX_PIECES) c->pieces[p] = data;
      }
    } else {
      if ((c->bytes != 1 && c->bytes != 2 && c->bytes != 4 && c->bytes != 8) || !typed_element(env, targets, t++, &data, &bytes) || bytes < (size_t)BLOCK_ROWS * (size_t)c->bytes) {
        return fail(env, "block(): the arrays do not match the plan");
      }
      c->values = data;
    }
  }
  return handle;
}

// rows(buf, handle, io, cursor): the whole row packets of buf[io[0], io[1]) from sequence number
// io[2], into the rows of the block of `handle` (block()) from io[3]; returns how many it took.
// io: [0] from (out: where it stopped), [1] end, [2] sequence number (in and out), [3] rows in the
// block (in and out), [4] out: 1 when the cursor column was read, [5]-[6] its smallest value's start
// and end, [7]-[8] its largest's; then per column its pieces in use (in and out); then each key
// field's start and end in the last row taken (-1: null). cursor: out, the smallest and largest value.
static napi_value rows(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!arguments(env, info, 4, argv)) return fail(env, "rows() takes 4 arguments");
  void *data;
  size_t bytes;
  if (!typed_data(env, argv[0], &data, &bytes)) return fail(env, "rows(): buf is not a Buffer");
  const uint8_t *buf = data;
  size_t buf_bytes = bytes;
  block_t *b;
  if (napi_get_arraybuffer_info(env, argv[1], &data, &bytes) != napi_ok || bytes < sizeof(block_t) || ((block_t *)data)->magic != BLOCK_MAGIC) return fail(env, "rows(): not a block() handle");
  b = data;
  int32_t n = b->n, keys = b->keys;
  if (!typed_data(env, argv[2], &data, &bytes) || bytes < (size_t)(4 * (9 + n + 2 * keys))) return fail(env, "rows(): io is too short");
  int32_t *io = data;
  if (!typed_data(env, argv[3], &data, &bytes) || bytes < 16) return fail(env, "rows(): cursor is too short");
  double *cursor_out = data;
  int32_t at = io[0], end = io[1], sequence = io[2], r = io[3];
  int32_t *piece_counts = io + 9;
  int32_t *key_at = io + 9 + n;
  if (at < 0 || end < at || (size_t)end > buf_bytes || r < 0 || r > BLOCK_ROWS) return fail(env, "rows(): a bad range");

  int32_t taken = 0, seen = 0;
  cursor_at_t low = {0, 0, 0}, high = {0, 0, 0};
  int32_t last_key[2 * MAX_KEYS], row_key[2 * MAX_KEYS];
  while (r < BLOCK_ROWS && end - at >= 4) {
    int32_t length = buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16);
    // The framer's takesPacket: whole, under 16 MB, the expected sequence number, a row (never empty).
    if (length == 0 || end - at - 4 < length || length >= 0xffffff || buf[at + 3] != (uint8_t)sequence) break;
    uint8_t first = buf[at + 4];
    if (first == 0xff || (first == 0xfe && length < 9)) break;
    int32_t has_cursor = 0;
    cursor_at_t value;
    if (!parse_row(b->columns, n, buf, buf_bytes, at + 4, at + 4 + length, r, b->has_null, piece_counts, row_key, &has_cursor, &value)) break;
    memcpy(last_key, row_key, sizeof(int32_t) * 2 * (size_t)keys);
    if (has_cursor) {
      // The first of equal values, as the JavaScript parser's trackCursor keeps.
      if (!seen) {
        seen = 1;
        low = high = value;
      } else if (value.value > high.value) {
        high = value;
      } else if (value.value < low.value) {
        low = value;
      }
    }
    r++;
    taken++;
    sequence = (sequence + 1) & 255;
    at += 4 + length;
  }
  io[0] = at;
  io[2] = sequence;
  io[3] = r;
  io[4] = seen;
  io[5] = low.start;
  io[6] = low.end;
  io[7] = high.start;
  io[8] = high.end;
  cursor_out[0] = low.value;
  cursor_out[1] = high.value;
  if (taken) memcpy(key_at, last_key, sizeof(int32_t) * 2 * (size_t)keys);
  napi_value result;
  napi_create_int32(env, taken, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "rows", NAPI_AUTO_LENGTH, rows, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "rows", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "block", NAPI_AUTO_LENGTH, block, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "block", fn) != napi_ok) return NULL;
  return exports;
}
