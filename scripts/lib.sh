# Shared by the scripts: build the jar when it is missing or older than the sources.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/image-ferry.jar"

# The job process's JVM options. The serial collector and a heap that starts small keep a
# run's resident memory near 180 MB however large the images (a segment is streamed through
# one 256 KiB buffer per copy); the heap may still grow to 256 MB for very large manifests.
# A smaller inlining budget for the optimizing JIT (C2): on a 2-core host C2 spent more CPU
# compiling the job's libraries (H2, the HTTP client, Jackson, Spring Batch) than they ran in
# a 10,000-image run — 40 of 143 CPU seconds; with a budget of 150/1500 bytes 24, and 100/1000
# (kept) a little less again — while the copy's hot loops (MD5, the socket buffers) are small
# methods either way (docs/performance.md, "The JIT's share").
jit_opts=(-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000)
# IMAGE_FERRY_JAVA_OPTS replaces them (split on spaces; set it empty for the JVM's defaults).
read -r -a java_opts <<<"${IMAGE_FERRY_JAVA_OPTS--XX:+UseSerialGC -Xms32m -Xmx256m ${jit_opts[*]}}"

ensure_jar() {
	if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
		echo "building image-ferry (mvn package)..." >&2
		(cd "$root" && mvn -B -q -DskipTests package) >&2
	fi
}

# Class data sharing (JDK 17): the classes a start of image-ferry loads, parsed and verified once by a training
# start (-XX:ArchiveClassesAtExit; a `status` of an empty data directory goes through Spring's whole start-up)
# and written to an archive that every later start maps (-XX:SharedArchiveFile) instead of reading them from the
# jar again. The JVM archives only classes from a plain class path, so the jar is first extracted (Spring Boot's
# jarmode tools) into a directory named after the jar's build time: a new build gets its own. docs/performance.md, "Start-up".
cds_dir() {
	echo "$root/target/cds-$(stat -c %Y "$jar")"
}

# Builds the archive when this jar has none yet; fails (the caller then starts from the jar) when it cannot. The
# JVM uses an archive only with the class path it was made with, so it is made in place, one start at a time.
ensure_cds() {
	[ -f "$jar" ] || return 1
	local dir lock old
	dir=$(cds_dir)
	[ -f "$dir/image-ferry.jsa" ] && return 0
	{ exec {lock}>"$root/target/cds.lock"; } 2>/dev/null || return 1
	flock "$lock" 2>/dev/null || true
	if [ ! -f "$dir/image-ferry.jsa" ]; then
		echo "preparing the class data sharing archive (once per build, a few seconds)..." >&2
		rm -rf "$dir"
		mkdir -p "$dir/training"
		# a valid profile (the context refuses one without regions before it loads most of what a start loads)
		printf 'image-ferry:\n  source: { region: DFW }\n  target: { region: IAD }\n  data-dir: %s\n  reports-dir: %s\n  metrics-textfile: %s\n' "$dir/training" \
			"$dir/training/reports" "$dir/training/reports/image-ferry.prom" >"$dir/training/training.yml"
		if java -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >/dev/null 2>&1; then
			# exits 64 (the profile has no run yet) after the whole start-up: the archive is written at the exit
			java "${java_opts[@]}" -XX:ArchiveClassesAtExit="$dir/image-ferry.jsa.new" -jar "$dir/app/image-ferry.jar" \
				status --job "$dir/training/training.yml" >/dev/null 2>&1 || true
		fi
		rm -rf "$dir/training"
		if [ -f "$dir/image-ferry.jsa.new" ]; then
			mv "$dir/image-ferry.jsa.new" "$dir/image-ferry.jsa"
			# earlier builds' archives, unless a start used one in the last 3 days: a run started from it may still
			# be running and load classes from its jars
			for old in "$root"/target/cds-*/; do
				old=${old%/}
				if [ "$old" != "$dir" ] && [ -z "$(find "$old" -maxdepth 1 -name started -mmin -4320)" ]; then
					rm -rf "$old"
				fi
			done
		else
			echo "could not prepare the class data sharing archive; starting without it" >&2
		fi
	fi
	exec {lock}>&-
	[ -f "$dir/image-ferry.jsa" ]
}

# Sets `ferry` to the command that starts image-ferry's job process for the given arguments: the extracted jar
# with the class data sharing archive when there is one, else the jar; JVM options: java_opts, as above. The
# commands that only read and print (status, report, stop, --help, run --dry-run) run with the JIT's first tier only: they end
# before the optimising compiler pays back its CPU, which on two cores is most of their start-up time; `run` and
# `restart` keep it, for their hours of MD5s and copies.
ferry_command() {
	local dir
	ferry=(java "${java_opts[@]}")
	case " $* " in
	" status "* | " report "* | " stop "* | " help "* | " --help "* | " -h "* | *" --dry-run "*)
		ferry+=(-XX:TieredStopAtLevel=1)
		;;
	esac
	if ensure_cds; then
		dir=$(cds_dir)
		touch "$dir/started" 2>/dev/null || true
		ferry+=(-XX:SharedArchiveFile="$dir/image-ferry.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off
			-jar "$dir/app/image-ferry.jar")
	else
		ferry+=(-jar "$jar")
	fi
}
