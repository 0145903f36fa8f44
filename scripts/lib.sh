# Shared by the scripts: build the jar when it is missing or older than the sources.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/image-ferry.jar"

# The job process's JVM options. The serial collector and a heap that starts small keep a
# run's resident memory near 180 MB however large the images (a segment is streamed through
# one 256 KiB buffer per copy); the heap may still grow to 256 MB for very large manifests.
# IMAGE_FERRY_JAVA_OPTS replaces them (split on spaces; set it empty for the JVM's defaults).
read -r -a java_opts <<<"${IMAGE_FERRY_JAVA_OPTS--XX:+UseSerialGC -Xms32m -Xmx256m}"

ensure_jar() {
	if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
		echo "building image-ferry (mvn package)..." >&2
		(cd "$root" && mvn -B -q -DskipTests package) >&2
	fi
}
