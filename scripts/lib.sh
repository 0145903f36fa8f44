# Shared by the scripts: build the jar when it is missing or older than the sources.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/image-ferry.jar"

ensure_jar() {
	if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
		echo "building image-ferry (mvn package)..." >&2
		(cd "$root" && mvn -B -q -DskipTests package) >&2
	fi
}
