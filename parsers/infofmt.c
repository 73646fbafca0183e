/* infofmt.c - see infofmt.h. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "infofmt.h"

/* Text written into [p, end); *end is left for the NUL. */
typedef struct text_out {
	char *p, *end;
} text_out;

static void out_chars(text_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o->p < o->end; i++)
		*o->p++ = s[i];
}

static void out_pad(text_out *o, char c, int n)
{
	while (n-- > 0 && o->p < o->end)
		*o->p++ = c;
}

/* One conversion's spec: %[-|0][width][l|ll|z](s|u|d|x|X|%). */
typedef struct conv_spec {
	bool left, zero;
	int width;
	int longs; /* 0: int, 1: long, 2: long long, 3: size_t */
	char conv;
} conv_spec;

/* Parse the spec after '%'; false for anything vsnprintf must do. */
static bool parse_spec(const char **fp, conv_spec *sp)
{
	const char *f = *fp;
	*sp = (conv_spec){0};
	if (*f == '-' || *f == '0')
		sp->left = *f == '-', sp->zero = *f++ == '0';
	if (*f >= '1' && *f <= '9')
		sp->width = *f++ - '0';
	if (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == 'z')
		sp->longs = 3, f++;
	else if (*f == 'l')
		sp->longs = f[1] == 'l' ? 2 : 1, f += sp->longs;
	sp->conv = *f;
	*fp = f;
	if (sp->conv == 's' || sp->conv == '%')
		return !sp->zero && !sp->longs && (sp->conv == 's' || (!sp->width && !sp->left));
	if (sp->conv == 'd')
		return !sp->width && !sp->left && !sp->zero && !sp->longs;
	return sp->conv == 'u' || sp->conv == 'x' || sp->conv == 'X';
}

static uint64_t uint_arg(const conv_spec *sp, va_list *ap)
{
	switch (sp->longs) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* The digits of v, written backwards to end at `end`; returns where they
 * start.  Constant divisors, 32-bit while the value fits and two digits a
 * step: a division by a variable base cost more than all the rest. */
static char *uint_text(char *end, uint64_t v, char conv)
{
	static const char d2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	                         "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	                         "8081828384858687888990919293949596979899";
	const char *hex = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;
	if (conv != 'u') {
		do
			*--p = hex[v & 15];
		while ((v >>= 4));
		return p;
	}
	for (; v > UINT32_MAX; v /= 10)
		*--p = (char)('0' + v % 10);
	uint32_t x = (uint32_t)v;
	for (; x >= 100; x /= 100)
		p -= 2, memcpy(p, d2 + 2 * (x % 100), 2);
	if (x >= 10)
		p -= 2, memcpy(p, d2 + 2 * x, 2);
	else
		*--p = (char)('0' + x);
	return p;
}

static void out_conv(text_out *o, const conv_spec *sp, va_list *ap)
{
	char buf[24], *end = buf + sizeof buf;
	const char *s;
	size_t n;
	if (sp->conv == '%') {
		s = "%", n = 1;
	} else if (sp->conv == 's') {
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		if (!sp->width) { /* no padding: no need for the length */
			while (*s && o->p < o->end)
				*o->p++ = *s++;
			return;
		}
		n = strlen(s);
	} else if (sp->conv == 'd') {
		int v = va_arg(*ap, int);
		char *p = uint_text(end, v < 0 ? 0u - (unsigned)v : (unsigned)v, 'u');
		if (v < 0)
			*--p = '-';
		s = p, n = (size_t)(end - p);
	} else {
		char *p = uint_text(end, uint_arg(sp, ap), sp->conv);
		s = p, n = (size_t)(end - p);
	}
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		out_pad(o, sp->zero ? '0' : ' ', pad);
	out_chars(o, s, n);
	if (sp->left)
		out_pad(o, ' ', pad);
}

/*
 * Info formats use few conversions: plain %s and %u mostly, some %04x or
 * %-8s.  Those are formatted here by hand, as vsnprintf would, truncation
 * included (vsnprintf was a fifth of the capture thread).  Anything else
 * (precision, '+', '#', floats ...) returns false for vsnprintf to redo it.
 */
bool nm_info_vformat(char *out, size_t cap, const char *fmt, va_list *ap)
{
	text_out o = {out, out + cap - 1};
	for (const char *f = fmt; *f && o.p < o.end; f++) {
		if (*f != '%') {
			*o.p++ = *f;
			continue;
		}
		conv_spec sp;
		f++;
		if (!parse_spec(&f, &sp))
			return false;
		out_conv(&o, &sp, ap);
	}
	*o.p = '\0';
	return true;
}
