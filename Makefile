# Thin wrapper over the scripts and CMake presets; see README.md.
.PHONY: setup build demo test bench clean

setup:
	bash scripts/setup.sh

# Release build; leaves the CLI at build/corridor.
build: setup
	cmake --preset release >/dev/null
	cmake --build --preset release
	ln -sf release/corridor build/corridor
	ln -sf release/corridor-public build/corridor-public

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

bench:
	bash bench/run.sh

clean:
	rm -rf build
