/* String handling and the heap: growing buffers, linked lists, strtok,
 * number parsing and formatting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

struct node { char *word; int count; struct node *next; };

static struct node *insert(struct node *head, const char *w)
{
	for (struct node *n = head; n; n = n->next)
		if (strcmp(n->word, w) == 0) { n->count++; return head; }
	struct node *n = malloc(sizeof *n);
	n->word = strdup(w);
	n->count = 1;
	n->next = head;
	return n;
}

int main(void)
{
	char text[] = "the quick brown fox jumps over the lazy dog the end, fox!";
	struct node *words = NULL;
	char *save = NULL, *buf = NULL;
	size_t len = 0, cap = 0;

	for (char *t = strtok_r(text, " ,!", &save); t; t = strtok_r(NULL, " ,!", &save))
		words = insert(words, t);
	for (struct node *n = words; n; n = n->next)
	{
		size_t need = strlen(n->word) + 16;
		if (len + need > cap) { cap = (cap + need) * 2; buf = realloc(buf, cap); }
		len += (size_t) snprintf(buf + len, cap - len, "%s=%d;", n->word, n->count);
	}
	printf("%s\n", buf);
	for (size_t i = 0; i < len; i++) buf[i] = (char) toupper((unsigned char) buf[i]);
	printf("%.20s... len=%zu\n", buf, len);
	printf("strtol = %ld %ld %lu\n", strtol("  -12345xyz", NULL, 10), strtol("0x7fff", NULL, 0), strtoul("zz", NULL, 36));
	printf("strstr = %s\n", strstr("haystack with needle inside", "needle"));
	while (words) { struct node *n = words->next; free(words->word); free(words); words = n; }
	free(buf);
	{
		void *blocks[100];
		size_t total = 0;
		for (int i = 0; i < 100; i++) { blocks[i] = calloc((size_t) i * 37 + 1, 1); total += (size_t) i * 37 + 1; }
		for (int i = 0; i < 100; i += 2) free(blocks[i]);
		for (int i = 0; i < 100; i += 2) blocks[i] = malloc(64);
		for (int i = 0; i < 100; i++) free(blocks[i]);
		printf("heap ok total=%zu\n", total);
	}
	return 0;
}
