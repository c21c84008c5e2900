// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and showing the msr_exits and io_exits lists, and the MSR
 * bitmap layout (SDM 25.6.9: read-low, read-high, write-low, write-high,
 * 1024 bytes each; "low" is MSRs 0-0x1fff, "high" 0xc0000000-0xc0001fff).
 */
#include "vmxhv/exit_lists.h"

#define MSR_HIGH_BASE	0xc0000000u
#define MSR_HALF_COUNT	0x2000u

int vmxhv_msr_bitmap_bit(u32 msr)
{
	if (msr < MSR_HALF_COUNT)
		return msr;
	if (msr >= MSR_HIGH_BASE && msr - MSR_HIGH_BASE < MSR_HALF_COUNT)
		return MSR_HALF_COUNT + (msr - MSR_HIGH_BASE);
	return -1;
}

u32 vmxhv_msr_of_bit(unsigned int bit)
{
	return bit < MSR_HALF_COUNT ? bit : MSR_HIGH_BASE + (bit - MSR_HALF_COUNT);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* One number at *@p, base 0 as kstrtou32 takes it; advances *@p. */
static bool parse_number(const char **p, u32 *out)
{
	const char *s = *p;
	unsigned int base = 10;
	u64 val = 0;
	int d, n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		base = 8;
		s++;
	}
	while ((d = digit(*s, base)) >= 0) {
		val = val * base + d;
		if (val > 0xffffffffULL)
			return false;
		s++;
		n++;
	}
	if (!n)
		return false;
	*out = val;
	*p = s;
	return true;
}

static bool range_ok(enum vmxhv_list_kind kind, u32 first, u32 last)
{
	if (kind == VMXHV_LIST_PORT)
		return last <= 0xffff;
	/* Both ends in the same half of the bitmap, so all between too. */
	return vmxhv_msr_bitmap_bit(first) >= 0 && vmxhv_msr_bitmap_bit(last) >= 0 &&
	       (first < MSR_HALF_COUNT) == (last < MSR_HALF_COUNT);
}

int vmxhv_list_parse(const char *s, enum vmxhv_list_kind kind,
		     struct vmxhv_range *out, int max, const char **why)
{
	int n = 0;

	for (;;) {
		u32 first, last;

		while (is_space(*s) || *s == ',')
			s++;
		if (!*s)
			return n;
		if (!parse_number(&s, &first)) {
			*why = "not a number";
			return -EINVAL;
		}
		last = first;
		if (*s == '-') {
			s++;
			if (!parse_number(&s, &last)) {
				*why = "a range needs a number after '-'";
				return -EINVAL;
			}
		}
		if (*s && !is_space(*s) && *s != ',') {
			*why = "numbers are separated by commas or spaces";
			return -EINVAL;
		}
		if (last < first) {
			*why = "a range must not run backwards";
			return -EINVAL;
		}
		if (!range_ok(kind, first, last)) {
			*why = kind == VMXHV_LIST_PORT ? "ports are 0-0xffff" :
				"MSRs lie in 0-0x1fff or 0xc0000000-0xc0001fff (the MSR bitmap)";
			return -EINVAL;
		}
		if (n == max) {
			*why = "too many entries";
			return -EINVAL;
		}
		out[n].first = first;
		out[n].last = last;
		n++;
	}
}

/* Append to a string that may be too short; count what it would need. */
struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *s)
{
	for (; *s; s++, o->pos++)
		if (o->pos + 1 < o->len)
			o->buf[o->pos] = *s;
}

static void put_hex(struct out *o, u32 v)
{
	char tmp[11];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	put(o, tmp + i);
}

size_t vmxhv_list_format(char *buf, size_t len, const struct vmxhv_range *r, int n)
{
	struct out o = { buf, len, 0 };
	int i = 0;

	while (i < n) {
		u32 first = r[i].first, last = r[i].last;

		for (i++; i < n && r[i].first <= last + 1 && last != 0xffffffffu; i++)
			if (r[i].last > last)
				last = r[i].last;
		if (o.pos)
			put(&o, ",");
		put_hex(&o, first);
		if (last != first) {
			put(&o, "-");
			put_hex(&o, last);
		}
	}
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return o.pos;
}
