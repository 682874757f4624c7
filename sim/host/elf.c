/*
 * elf.c: symbol lookup in a task executable (native ELF, .symtab then .dynsym).
 *
 * The daemon resolves a configured entry name here, at load time, so that a typo is a
 * `file:line` error before anything runs; the runtime in the task adds its load base.
 */
#include "config.h"

#include <elf.h>
#include <string.h>

#include "sim/host/elf.h"

#if UINTPTR_MAX == 0xffffffffffffffffu
typedef Elf64_Ehdr Ehdr;
typedef Elf64_Shdr Shdr;
typedef Elf64_Sym Sym;
#define NATIVE_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr Ehdr;
typedef Elf32_Shdr Shdr;
typedef Elf32_Sym Sym;
#define NATIVE_CLASS ELFCLASS32
#endif

static gboolean in_file(gsize size, guint64 off, guint64 len)
{
	return off <= size && len <= size - off;
}

gboolean elf_find_symbol(const char *path, const char *symbol, uint64_t *value, GError **error)
{
	g_autoptr(GMappedFile) mf = g_mapped_file_new(path, FALSE, error);
	if (!mf)
		return FALSE;
	const guint8 *data = (const guint8 *)g_mapped_file_get_contents(mf);
	gsize size = g_mapped_file_get_length(mf);
	const Ehdr *eh = (const Ehdr *)data;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != NATIVE_CLASS) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "'%s' is not a native ELF executable", path);
		return FALSE;
	}
	if (eh->e_shentsize != sizeof(Shdr) ||
	    !in_file(size, eh->e_shoff, (guint64)eh->e_shnum * sizeof(Shdr))) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "'%s' has a malformed section table", path);
		return FALSE;
	}
	const Shdr *sh = (const Shdr *)(data + eh->e_shoff);
	static const guint32 kinds[] = {SHT_SYMTAB, SHT_DYNSYM};
	for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (guint i = 0; i < eh->e_shnum; i++) {
			if (sh[i].sh_type != kinds[k] || sh[i].sh_link >= eh->e_shnum ||
			    sh[i].sh_entsize != sizeof(Sym))
				continue;
			const Shdr *strs = &sh[sh[i].sh_link];
			if (!in_file(size, sh[i].sh_offset, sh[i].sh_size) ||
			    !in_file(size, strs->sh_offset, strs->sh_size))
				continue;
			const Sym *syms = (const Sym *)(data + sh[i].sh_offset);
			const char *names = (const char *)(data + strs->sh_offset);
			gsize n = sh[i].sh_size / sizeof(Sym);
			for (gsize j = 0; j < n; j++) {
				if (syms[j].st_name >= strs->sh_size ||
				    syms[j].st_shndx == SHN_UNDEF)
					continue;
				const char *nm = names + syms[j].st_name;
				if (strnlen(nm, strs->sh_size - syms[j].st_name) ==
				        strs->sh_size - syms[j].st_name ||
				    strcmp(nm, symbol) != 0)
					continue;
				*value = syms[j].st_value;
				return TRUE;
			}
		}
	}
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no symbol '%s' in '%s'", symbol,
	            path);
	return FALSE;
}
