using System.Buffers.Binary;

namespace OrleansFlow.Bench.Profiling;

/// <summary>What each commit in a SQLite write-ahead log wrote: the valid frames of <c>DB-wal</c> (those of the log's
/// current generation, up to its last commit), grouped by commit, and the table or index each page belongs to. A commit writes every page it dirtied whole, so pages per
/// commit, and which B-trees they belong to, are what the log costs; they do not depend on the CPU's speed.</summary>
internal static class WalReport
{
    private const int HeaderBytes = 32;
    private const int FrameHeaderBytes = 24;

    /// <summary>Reports on the logs <paramref name="walPaths"/> together (each database is the same path without
    /// <c>-wal</c>): several copies taken during one run give more commits than one log holds between two checkpoints.
    /// Copy a log and its database while the server is stopped (SIGSTOP) or gone: a log being written may end in a torn
    /// frame.</summary>
    public static void Write(IReadOnlyList<string> walPaths, int top, TextWriter output)
    {
        var byTree = new Dictionary<string, int>();
        var sizes = new List<int>();
        foreach (var walPath in walPaths)
        {
            var log = ReadLog(walPath);
            output.WriteLine(log.PageSize == 0
                ? $"log {walPath}: empty"
                : $"log {walPath}: page size {log.PageSize} bytes, {log.Commits.Count} commits, {log.Commits.Sum(c => c.Count)} frames");
            if (log.Commits.Count == 0)
            {
                continue;
            }

            var owners = PageOwners(walPath[..^"-wal".Length], log);
            foreach (var commit in log.Commits)
            {
                sizes.Add(commit.Count);
                foreach (var page in commit.Select(frame => frame.Page).Distinct())
                {
                    var tree = owners.GetValueOrDefault(page, "(free or past the end)");
                    byTree[tree] = byTree.GetValueOrDefault(tree) + 1;
                }
            }
        }

        if (sizes.Count == 0)
        {
            return;
        }

        sizes.Sort();
        output.WriteLine($"{sizes.Count} commits; frames per commit: mean {sizes.Average():0.0}, median {sizes[sizes.Count / 2]}, max {sizes[^1]}");
        var total = byTree.Values.Sum();
        output.WriteLine("-- pages per commit, by table or index");
        foreach (var (tree, pages) in byTree.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine($"{(double)pages / sizes.Count,7:0.00}  {100.0 * pages / total,5:0.0}%  {tree}");
        }
    }

    /// <summary>The committed frames of a log, commit by commit, in log order. A frame belongs to the log's current
    /// generation when its salts are the header's; frames after the last commit frame are not committed.</summary>
    private static WriteAheadLog ReadLog(string walPath)
    {
        var bytes = File.ReadAllBytes(walPath);
        if (bytes.Length == 0)
        {
            // Emptied by a checkpoint that truncated it: nothing committed since.
            return new WriteAheadLog(bytes, 0, []);
        }

        if (bytes.Length < HeaderBytes || (BinaryPrimitives.ReadUInt32BigEndian(bytes) | 1) != 0x377f0683)
        {
            throw new InvalidDataException($"'{walPath}' is not a SQLite write-ahead log.");
        }

        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        var salts = bytes.AsSpan(16, 8);
        var commits = new List<List<Frame>>();
        var current = new List<Frame>();
        for (var offset = HeaderBytes; offset + FrameHeaderBytes + pageSize <= bytes.Length; offset += FrameHeaderBytes + pageSize)
        {
            var header = bytes.AsSpan(offset, FrameHeaderBytes);
            if (!header.Slice(8, 8).SequenceEqual(salts))
            {
                break;
            }

            current.Add(new Frame(BinaryPrimitives.ReadUInt32BigEndian(header), offset + FrameHeaderBytes));
            if (BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != 0)
            {
                commits.Add(current);
                current = [];
            }
        }

        return new WriteAheadLog(bytes, pageSize, commits);
    }

    /// <summary>A log's bytes, its page size (0 when empty) and its committed frames, commit by commit.</summary>
    private sealed record WriteAheadLog(byte[] Bytes, int PageSize, List<List<Frame>> Commits);

    /// <summary>A frame: the page it holds, and where that page's bytes start in the log.</summary>
    private readonly record struct Frame(uint Page, int Offset);

    /// <summary>Page number to the name of its table or index: the B-trees of the database as of the log's last commit
    /// (each page from its last committed frame in the log, else from the database file), walked from the roots that
    /// <c>sqlite_schema</c> names, overflow pages included. (The <c>dbstat</c> table would say the same, but the SQLite
    /// that Microsoft.Data.Sqlite bundles is built without it.)</summary>
    private static Dictionary<uint, string> PageOwners(string databasePath, WriteAheadLog log)
    {
        var pages = new PageReader(databasePath, log);
        var owners = new Dictionary<uint, string>();
        var roots = new List<(string Name, uint Root)> { ("sqlite_schema", 1) };
        pages.Walk(1, (page, cell, isTable) =>
        {
            var record = pages.Payload(page, cell, isTable);
            if (Columns(record) is [_, string name, _, long root, ..] && root > 0)
            {
                roots.Add((name, (uint)root));
            }
        });

        foreach (var (name, root) in roots)
        {
            foreach (var page in pages.TreePages(root))
            {
                owners[page] = name;
            }
        }

        return owners;
    }

    /// <summary>The values of a record (SQLite's record format): integers as long, text as string, the rest as null.</summary>
    private static List<object?> Columns(byte[] record)
    {
        var values = new List<object?>();
        var headerEnd = (int)Varint(record, 0, out var at);
        var body = headerEnd;
        while (at < headerEnd)
        {
            var type = Varint(record, at, out at);
            var size = type switch { 0 or 8 or 9 => 0, 1 => 1, 2 => 2, 3 => 3, 4 => 4, 5 => 6, 6 or 7 => 8, _ => (int)(type - 12 - (type % 2)) / 2 };
            object? value = type switch
            {
                >= 1 and <= 6 => ReadInt(record.AsSpan(body, size)),
                8 => 0L,
                9 => 1L,
                >= 13 when type % 2 == 1 => System.Text.Encoding.UTF8.GetString(record, body, size),
                _ => null,
            };
            values.Add(value);
            body += size;
        }

        return values;
    }

    private static long ReadInt(ReadOnlySpan<byte> bytes)
    {
        long value = (sbyte)bytes[0];
        foreach (var b in bytes[1..])
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static long Varint(ReadOnlySpan<byte> bytes, int offset, out int next)
    {
        long value = 0;
        for (var i = 0; i < 8; i++)
        {
            var b = bytes[offset + i];
            value = (value << 7) | (uint)(b & 0x7f);
            if (b < 0x80)
            {
                next = offset + i + 1;
                return value;
            }
        }

        next = offset + 9;
        return (value << 8) | bytes[offset + 8];
    }

    /// <summary>The pages of a database as of its log's last commit, and the B-tree format's rules to walk them.</summary>
    private sealed class PageReader
    {
        private readonly byte[] _database;
        private readonly byte[] _log;
        private readonly Dictionary<uint, int> _logged = [];
        private readonly int _pageSize;
        private readonly int _usable;

        public PageReader(string databasePath, WriteAheadLog log)
        {
            _database = File.ReadAllBytes(databasePath);
            _pageSize = BinaryPrimitives.ReadUInt16BigEndian(_database.AsSpan(16)) is var size and not 1 ? size : 65536;
            _usable = _pageSize - _database[20];
            _log = log.Bytes;
            foreach (var frame in log.Commits.SelectMany(commit => commit))
            {
                // A later commit's copy of a page replaces an earlier one.
                _logged[frame.Page] = frame.Offset;
            }
        }

        private ReadOnlySpan<byte> Page(uint number) => _logged.TryGetValue(number, out var offset)
            ? _log.AsSpan(offset, _pageSize)
            : _database.AsSpan((int)((number - 1) * (long)_pageSize), _pageSize);

        /// <summary>Every page of the B-tree rooted at <paramref name="root"/>: interior, leaf and overflow pages.</summary>
        public List<uint> TreePages(uint root)
        {
            var pages = new List<uint>();
            Walk(root, (page, cell, isTable) => pages.AddRange(OverflowPages(page, cell, isTable)), pages);
            return pages;
        }

        /// <summary>Calls <paramref name="visit"/> with each cell that holds a payload (leaf cells, and the cells of
        /// interior index pages) of the tree rooted at <paramref name="root"/>, and adds each B-tree page to
        /// <paramref name="pages"/>.</summary>
        public void Walk(uint root, Action<uint, int, bool> visit, List<uint>? pages = null)
        {
            var stack = new Stack<uint>([root]);
            while (stack.TryPop(out var number))
            {
                pages?.Add(number);
                var page = Page(number);
                var header = number == 1 ? 100 : 0;
                var type = page[header];
                var interior = type is 2 or 5;
                var cells = BinaryPrimitives.ReadUInt16BigEndian(page[(header + 3)..]);
                var pointers = header + (interior ? 12 : 8);
                if (interior)
                {
                    stack.Push(BinaryPrimitives.ReadUInt32BigEndian(page[(header + 8)..]));
                }

                for (var i = 0; i < cells; i++)
                {
                    var cell = BinaryPrimitives.ReadUInt16BigEndian(page[(pointers + (2 * i))..]);
                    if (interior)
                    {
                        stack.Push(BinaryPrimitives.ReadUInt32BigEndian(page[cell..]));
                    }

                    if (type != 5)
                    {
                        visit(number, cell, type == 13);
                    }
                }
            }
        }

        /// <summary>The payload of a cell, its overflow pages read back in.</summary>
        public byte[] Payload(uint number, int cell, bool isTable)
        {
            var (size, start, local, overflow) = Layout(number, cell, isTable);
            var payload = new byte[size];
            Page(number).Slice(start, local).CopyTo(payload);
            for (var filled = local; filled < size; overflow = BinaryPrimitives.ReadUInt32BigEndian(Page(overflow)))
            {
                var chunk = Math.Min(size - filled, _usable - 4);
                Page(overflow).Slice(4, chunk).CopyTo(payload.AsSpan(filled));
                filled += chunk;
            }

            return payload;
        }

        private IEnumerable<uint> OverflowPages(uint number, int cell, bool isTable)
        {
            var (size, _, local, overflow) = Layout(number, cell, isTable);
            var pages = new List<uint>();
            for (var filled = local; filled < size; filled += _usable - 4)
            {
                pages.Add(overflow);
                overflow = BinaryPrimitives.ReadUInt32BigEndian(Page(overflow));
            }

            return pages;
        }

        /// <summary>A cell's payload size, where its local part starts, how long it is, and its first overflow page.</summary>
        private (int Size, int Start, int Local, uint Overflow) Layout(uint number, int cell, bool isTable)
        {
            var page = Page(number);
            var header = number == 1 ? 100 : 0;
            var at = page[header] is 2 ? cell + 4 : cell;
            var size = (int)Varint(page, at, out at);
            if (isTable)
            {
                Varint(page, at, out at);
            }

            var most = isTable ? _usable - 35 : ((_usable - 12) * 64 / 255) - 23;
            if (size <= most)
            {
                return (size, at, size, 0);
            }

            var least = ((_usable - 12) * 32 / 255) - 23;
            var keep = least + ((size - least) % (_usable - 4));
            var local = keep <= most ? keep : least;
            return (size, at, local, BinaryPrimitives.ReadUInt32BigEndian(page[(at + local)..]));
        }
    }
}
