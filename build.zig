//! Build script for shmdict (Zig 0.15.2).
//!
//!   zig build                 shared library for the host -> zig-out/lib/
//!   zig build cross           shared library for every entry of `cross_targets`
//!                             -> zig-out/cross/<triple>/
//!   zig build test            every test/c/*.c program, built twice and run:
//!                               1. with Zig (same -Doptimize as the library)
//!                               2. with the system `cc` under ASan + UBSan
//!                             (-Dsanitize=false skips the second set)
//!   zig build bench           bench/c/*.c: the C floor (no FFI), with and without the journal
//!   zig build fuzz            every test/fuzz/*.c libFuzzer target, built with the system
//!                             clang (-Dfuzz-cc, default clang-14) under libFuzzer + ASan +
//!                             UBSan, with all of src/*.c -> zig-out/fuzz/<target>
//!                             (built only; scripts/fuzz.sh runs them, see test/fuzz/README.md)
//!
//! Options: -Doptimize=<mode> (default ReleaseFast), -Dsanitize=<bool> (default true),
//!          -Dfuzz-cc=<compiler> (default clang-14; needs its libFuzzer runtime,
//!          Debian package libclang-rt-14-dev).
//!
//! C sources are discovered at configure time: every src/*.c file, sorted by name.
//! C test programs are every test/c/*.c file; each has its own main(), prints its own
//! `ok`/`FAIL` lines and a final `N passed, N failed` line, and exits 0 on success.
//! The Zig-built test binary is named `<test>`, the sanitizer one `<test>-asan`, so a
//! test can print basename(argv[0]) to say which variant produced a line.

const std = @import("std");
const builtin = @import("builtin");

/// The exact Zig version this build script is written for (single source of truth:
/// the `.zig-version` file next to this script).
const required_zig_version_text = std.mem.trim(u8, @embedFile(".zig-version"), " \t\r\n");

comptime {
    const want = std.SemanticVersion.parse(required_zig_version_text) catch
        @compileError(".zig-version does not hold a valid version: '" ++ required_zig_version_text ++ "'");
    if (builtin.zig_version.order(want) != .eq) {
        @compileError(std.fmt.comptimePrint(
            "shmdict requires Zig {s} exactly (see .zig-version), but this is Zig {f}. " ++
                "Run `scripts/setup.sh` and build with `scripts/zig build`.",
            .{ required_zig_version_text, builtin.zig_version },
        ));
    }
}

/// Targets built by `zig build cross`. One table; add a row to add a target.
const cross_targets = [_][]const u8{
    "x86_64-windows-gnu",
    "aarch64-linux-gnu",
    "x86_64-linux-musl",
    "aarch64-macos",
};

const lib_name = "shmdict";

/// Warning/feature flags shared by every C compile (Zig and system cc alike).
const common_c_flags = [_][]const u8{
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-D_GNU_SOURCE",
};

/// Flags for the system-cc sanitizer build of the C tests.
const sanitizer_flags = [_][]const u8{
    "-fsanitize=address,undefined",
    "-fno-omit-frame-pointer",
    "-fno-sanitize-recover=all",
    "-g",
    "-O1",
};

/// Flags for the libFuzzer targets (system clang): compile and link alike.
const fuzz_flags = [_][]const u8{
    "-fsanitize=fuzzer,address,undefined",
    "-fno-omit-frame-pointer",
    "-fno-sanitize-recover=all",
    "-g",
    "-O1",
};

pub fn build(b: *std.Build) !void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.option(
        std.builtin.OptimizeMode,
        "optimize",
        "Optimization mode (default: ReleaseFast)",
    ) orelse switch (b.release_mode) {
        .off, .any, .fast => std.builtin.OptimizeMode.ReleaseFast,
        .safe => .ReleaseSafe,
        .small => .ReleaseSmall,
    };
    const sanitize = b.option(
        bool,
        "sanitize",
        "Also build and run the C tests with the system cc under ASan/UBSan (default: true)",
    ) orelse true;
    const fuzz_cc = b.option(
        []const u8,
        "fuzz-cc",
        "C compiler with libFuzzer for `zig build fuzz` (default: clang-14)",
    ) orelse "clang-14";

    const src_files = try listCFiles(b, "src");
    if (src_files.len == 0) {
        std.debug.print("error: no C sources found in src/ (expected src/*.c)\n", .{});
        std.process.exit(1);
    }
    const test_files = try listCFiles(b, "test/c");

    // Flags for the library sources (Zig-compiled).
    var lib_flags: std.ArrayList([]const u8) = .empty;
    try lib_flags.appendSlice(b.allocator, &common_c_flags);
    try lib_flags.append(b.allocator, "-fvisibility=hidden");

    // ---- default step: host shared library -------------------------------------------
    const host_lib = addSharedLib(b, target, optimize, src_files, lib_flags.items);
    b.installArtifact(host_lib);

    // ---- cross --------------------------------------------------------------------------
    const cross_step = b.step("cross", "Build the shared library for every cross target");
    for (cross_targets) |triple| {
        const query = std.Target.Query.parse(.{ .arch_os_abi = triple }) catch |err| {
            std.debug.print("error: bad cross target '{s}': {s}\n", .{ triple, @errorName(err) });
            std.process.exit(1);
        };
        const lib = addSharedLib(b, b.resolveTargetQuery(query), optimize, src_files, lib_flags.items);
        const dir: std.Build.InstallDir = .{ .custom = b.fmt("cross/{s}", .{triple}) };
        // Only name implib/pdb dirs where such files exist: overriding them makes the
        // install step request them (e.g. -femit-implib), which fails off Windows.
        const install = b.addInstallArtifact(lib, .{
            .dest_dir = .{ .override = dir },
            .implib_dir = if (lib.producesImplib()) .{ .override = dir } else .disabled,
            .pdb_dir = if (lib.producesPdbFile()) .{ .override = dir } else .disabled,
            .h_dir = .disabled,
        });
        cross_step.dependOn(&install.step);
    }

    // ---- bench: the C floor -------------------------------------------------------------
    // bench/c/*.c, each linked with every src/*.c, ReleaseFast, and run; each twice: as is,
    // and with -DSHMD_BENCH_NO_JOURNAL (the undo journal records nothing: unsafe, for
    // measuring what the journal costs only).
    const bench_step = b.step("bench", "Build and run the C benchmarks bench/c/*.c (with and without the journal)");
    const bench_only = b.option([]const u8, "bench-only", "Run only this C benchmark of bench/c (e.g. floor)");
    const bench_files = try listCFiles(b, "bench/c");
    var prev_bench: ?*std.Build.Step = null; // one at a time: they must not compete
    for (bench_files) |file| {
        if (bench_only) |only| if (!std.mem.eql(u8, only, stem(file))) continue;
        for ([_]bool{ false, true }) |no_journal| {
            var flags: std.ArrayList([]const u8) = .empty;
            try flags.appendSlice(b.allocator, &common_c_flags);
            if (no_journal) try flags.append(b.allocator, "-DSHMD_BENCH_NO_JOURNAL=1");
            const mod = b.createModule(.{ .target = target, .optimize = .ReleaseFast, .link_libc = true });
            mod.addIncludePath(b.path("src"));
            mod.addCSourceFile(.{ .file = b.path(b.fmt("bench/c/{s}", .{file})), .flags = flags.items });
            mod.addCSourceFiles(.{ .root = b.path("src"), .files = src_files, .flags = flags.items });
            const exe = b.addExecutable(.{
                .name = b.fmt("{s}{s}", .{ stem(file), if (no_journal) "-nojournal" else "" }),
                .root_module = mod,
            });
            exe.lto = ltoFor(target, .ReleaseFast); // as the library is built
            const run = b.addRunArtifact(exe);
            run.stdio = .inherit;
            if (prev_bench) |p| run.step.dependOn(p);
            prev_bench = &run.step;
            bench_step.dependOn(&run.step);
        }
    }

    // ---- fuzz ---------------------------------------------------------------------------
    // Every test/fuzz/*.c is a libFuzzer target (it defines LLVMFuzzerTestOneInput), linked
    // with every src/*.c, all compiled by the system clang with -fsanitize=fuzzer (coverage
    // instrumentation + libFuzzer's main), ASan and UBSan. `getentropy` is wrapped so that a
    // target can fix the segments' hash seed (reproducible inputs across processes).
    const fuzz_step = b.step("fuzz", "Build the libFuzzer targets test/fuzz/*.c (clang, ASan+UBSan) -> zig-out/fuzz/");
    const fuzz_files = try listCFiles(b, "test/fuzz");
    if (fuzz_files.len != 0) {
        var fz_flags: std.ArrayList([]const u8) = .empty;
        try fz_flags.appendSlice(b.allocator, &fuzz_flags);
        try fz_flags.appendSlice(b.allocator, &common_c_flags);
        try fz_flags.append(b.allocator, "-pthread");
        var fz_src_objs: std.ArrayList(std.Build.LazyPath) = .empty;
        for (src_files) |file| {
            try fz_src_objs.append(b.allocator, addCObject(b, fuzz_cc, "fuzz", "src", file, fz_flags.items));
        }
        for (fuzz_files) |file| {
            const name = stem(file);
            const obj = addCObject(b, fuzz_cc, "fuzz", "test/fuzz", file, fz_flags.items);
            const link = b.addSystemCommand(&.{fuzz_cc});
            link.setName(b.fmt("{s} link fuzz {s}", .{ fuzz_cc, name }));
            link.addArgs(&fuzz_flags);
            link.addArgs(&.{ "-pthread", "-Wl,--wrap=getentropy", "-o" });
            const exe_path = link.addOutputFileArg(name);
            link.addFileArg(obj);
            for (fz_src_objs.items) |o| link.addFileArg(o);
            const install = b.addInstallFileWithDir(exe_path, .{ .custom = "fuzz" }, name);
            fuzz_step.dependOn(&install.step);
        }
    }

    // ---- test ---------------------------------------------------------------------------
    const test_step = b.step("test", "Build and run the C tests (Zig build + system cc ASan/UBSan build)");
    if (test_files.len == 0) return;

    // Zig set: src/*.c compiled once into a static library, linked into every test.
    const test_lib = b.addLibrary(.{
        .name = lib_name ++ "_test",
        .linkage = .static,
        .root_module = b.createModule(.{
            .target = target,
            .optimize = optimize,
            .link_libc = true,
        }),
    });
    test_lib.root_module.addIncludePath(b.path("src"));
    test_lib.root_module.addCSourceFiles(.{ .root = b.path("src"), .files = src_files, .flags = lib_flags.items });

    // Test programs keep assert() live even in release modes.
    var test_flags: std.ArrayList([]const u8) = .empty;
    try test_flags.appendSlice(b.allocator, &common_c_flags);
    try test_flags.append(b.allocator, "-UNDEBUG");

    for (test_files) |file| {
        const name = stem(file);
        const exe = b.addExecutable(.{
            .name = name,
            .root_module = b.createModule(.{
                .target = target,
                .optimize = optimize,
                .link_libc = true,
            }),
        });
        exe.root_module.addIncludePath(b.path("src"));
        exe.root_module.addCSourceFile(.{ .file = b.path(b.fmt("test/c/{s}", .{file})), .flags = test_flags.items });
        exe.root_module.linkLibrary(test_lib);

        const run = b.addRunArtifact(exe);
        run.setName(b.fmt("test/c/{s} (zig {s})", .{ file, @tagName(optimize) }));
        run.setCwd(b.path("."));
        // Inherit stdio so the test's own ok/FAIL lines are always shown (and the step
        // always re-runs instead of being treated as a cached pure computation).
        run.stdio = .inherit;
        test_step.dependOn(&run.step);
    }

    if (!sanitize) return;

    // Sanitizer set: system cc, one object per source (header deps tracked via -MMD).
    var cc_flags: std.ArrayList([]const u8) = .empty;
    try cc_flags.appendSlice(b.allocator, &sanitizer_flags);
    try cc_flags.appendSlice(b.allocator, &common_c_flags);
    try cc_flags.append(b.allocator, "-pthread");

    var src_objs: std.ArrayList(std.Build.LazyPath) = .empty;
    for (src_files) |file| {
        try src_objs.append(b.allocator, addCObject(b, "cc", "cc", "src", file, cc_flags.items));
    }
    for (test_files) |file| {
        const name = stem(file);
        const obj = addCObject(b, "cc", "cc", "test/c", file, cc_flags.items);

        const link = b.addSystemCommand(&.{"cc"});
        link.setName(b.fmt("cc link {s}-asan", .{name}));
        link.addArgs(&sanitizer_flags);
        link.addArg("-pthread");
        link.addArg("-lm");
        link.addArg("-o");
        const exe_path = link.addOutputFileArg(b.fmt("{s}-asan", .{name}));
        link.addFileArg(obj);
        for (src_objs.items) |o| link.addFileArg(o);

        const run = std.Build.Step.Run.create(b, b.fmt("test/c/{s} (cc asan+ubsan)", .{file}));
        run.addFileArg(exe_path);
        run.setCwd(b.path("."));
        run.stdio = .inherit;
        if (b.graph.env_map.get("ASAN_OPTIONS") == null)
            run.setEnvironmentVariable("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1:strict_string_checks=1");
        if (b.graph.env_map.get("UBSAN_OPTIONS") == null)
            run.setEnvironmentVariable("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");
        test_step.dependOn(&run.step);
    }
}

/// Shared library `shmdict` from all `src_files` for one target.
fn addSharedLib(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    src_files: []const []const u8,
    flags: []const []const u8,
) *std.Build.Step.Compile {
    const lib = b.addLibrary(.{
        .name = lib_name,
        .linkage = .dynamic,
        .root_module = b.createModule(.{
            .target = target,
            .optimize = optimize,
            .link_libc = true,
        }),
    });
    lib.root_module.addIncludePath(b.path("src"));
    lib.root_module.addCSourceFiles(.{ .root = b.path("src"), .files = src_files, .flags = flags });
    lib.lto = ltoFor(target, optimize);
    return lib;
}

/// Link-time optimisation for optimised ELF builds: the hot paths cross files (a
/// GET runs api.c, t_string.c, keyspace.c and lock.c), and inlining the small
/// helpers across them (bounds checks, journal records, stripe bumps) takes a
/// quarter off a cached GET or SET in the C floor (`zig build bench`). Other
/// object formats keep separate compilation: their cross builds are only built
/// here, not run, and LTO through Zig's Mach-O linker is not supported.
fn ltoFor(target: std.Build.ResolvedTarget, optimize: std.builtin.OptimizeMode) ?std.zig.LtoMode {
    if (optimize == .Debug or target.result.ofmt != .elf) return null;
    return .full;
}

/// `<compiler> -c <dir>/<file>` into the build cache; returns the object file. `label`
/// names the step (the same source is compiled once per set: "cc", "fuzz").
fn addCObject(
    b: *std.Build,
    compiler: []const u8,
    label: []const u8,
    dir: []const u8,
    file: []const u8,
    flags: []const []const u8,
) std.Build.LazyPath {
    const cc = b.addSystemCommand(&.{compiler});
    cc.setName(b.fmt("{s} {s}/{s}", .{ label, dir, file }));
    cc.addArgs(flags);
    cc.addPrefixedDirectoryArg("-I", b.path("src"));
    cc.addArg("-c");
    cc.addFileArg(b.path(b.fmt("{s}/{s}", .{ dir, file })));
    cc.addArg("-o");
    const obj = cc.addOutputFileArg(b.fmt("{s}.o", .{stem(file)}));
    cc.addArgs(&.{ "-MMD", "-MF" });
    _ = cc.addDepFileOutputArg(b.fmt("{s}.d", .{stem(file)}));
    return obj;
}

/// Sorted names of the regular `*.c` files directly inside `sub_dir` (relative to the
/// build root). A missing directory yields an empty list.
fn listCFiles(b: *std.Build, sub_dir: []const u8) ![]const []const u8 {
    var dir = b.build_root.handle.openDir(sub_dir, .{ .iterate = true }) catch |err| switch (err) {
        error.FileNotFound => return &.{},
        else => return err,
    };
    defer dir.close();

    var names: std.ArrayList([]const u8) = .empty;
    var it = dir.iterate();
    while (try it.next()) |entry| {
        if (entry.kind != .file and entry.kind != .sym_link) continue;
        if (!std.mem.endsWith(u8, entry.name, ".c")) continue;
        try names.append(b.allocator, b.dupe(entry.name));
    }
    std.mem.sort([]const u8, names.items, {}, struct {
        fn lessThan(_: void, x: []const u8, y: []const u8) bool {
            return std.mem.lessThan(u8, x, y);
        }
    }.lessThan);
    return names.items;
}

/// "foo.c" -> "foo".
fn stem(file: []const u8) []const u8 {
    return file[0 .. file.len - ".c".len];
}
