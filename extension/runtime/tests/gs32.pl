# tests/gs32.pl (runtime Makefile): used as perl -p on the assembly of a
# hand-written test module.
# gs32.pl: give every %gs memory operand of clang's AT&T assembly 32-bit
# address size, as tmebox-cc's cc_mcode_addr32 does for compiled modules:
# registers inside a %gs operand become their 32-bit names, and an
# operand without registers gets an addr32 prefix.
s{%gs:(-?\w*)\(([^)]*)\)}{ my ($d, $r) = ($1, $2);
	$r =~ s/%r(ax|bx|cx|dx|si|di|bp|sp)\b/%e$1/g;
	$r =~ s/%r(\d+)\b/%r$1d/g; "%gs:$d($r)" }ge;
s{^(\s+)(?=\S.*%gs:-?\d+(?![\d(]))}{$1addr32 };
