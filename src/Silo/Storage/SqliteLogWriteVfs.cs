using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansFlow.Silo.Storage;

/// <summary>A SQLite VFS that writes each commit's write-ahead log frames with one <c>pwrite</c> instead of two per page.
/// <para>SQLite writes a log frame as two writes, its 24-byte header and then the page, each its own system call: about
/// 114 calls for a commit of 57 pages on the hot path, 70% of all the server's system calls (docs/performance.md,
/// <i>SQLite: a commit's log frames in one write</i>). This VFS is SQLite's default one (<c>unix</c>) with the log files
/// wrapped: a frame header and the page that follows it are appended to a buffer of the connection's log file, and the
/// buffer is written, with one call at the position of its first byte, when a frame that ends a commit (its header holds
/// the database size, which SQLite writes only into the last frame of a commit) has been appended, when the buffer is
/// full, and before any other operation on that file (a read, a sync, a truncation, a size query, a file control,
/// closing). So every byte SQLite wrote is in the file before <c>sqlite3_step</c> returns from a commit, before another
/// connection can see the commit in the WAL index (which SQLite updates after the frames are written), and before this
/// connection reads the log back. Any write of another shape (the log's 32-byte header, a frame rewritten in place) is
/// written at once, after the buffer. A failed write returns SQLite's I/O error from the call that wrote, which rolls
/// the transaction back, as a failed <c>pwrite</c> does without this VFS.</para>
/// <para>Used by the writer connection only (<see cref="DatabaseOptions.SqliteCoalescedLogWrites"/>); other connections
/// and other files pass straight to <c>unix</c>.</para></summary>
internal static unsafe class SqliteLogWriteVfs
{
    /// <summary>The name the VFS is registered under (<c>Vfs=</c> in a connection string).</summary>
    public const string Name = "orleansflow-log-writes";

    private const int SqliteOk = 0;
    private const int SqliteNoMem = 7;
    private const int SqliteOpenWal = 0x00080000;
    private const int FrameHeaderSize = 24;
    private const int MaxPageSize = 65536;
    private const int BufferCapacity = 1 << 20;

    /// <summary>The most unix's <c>xWrite</c> writes with one call: it masks the length to 17 bits (<c>seekAndWriteFd</c>),
    /// so a longer buffer goes as several calls of this size.</summary>
    private const int MaxWrite = 0x1FFFF;

    private static readonly Lock RegisterLock = new();
    private static bool? _registered;
    private static Vfs* _unix;
    private static IoMethods* _methods;
    private static long _framesBuffered;
    private static long _buffersWritten;

    /// <summary>Frames (header and page) appended to a buffer instead of being written one call each, since start.</summary>
    public static long FramesBuffered => Interlocked.Read(ref _framesBuffered);

    /// <summary>Buffers written to a log (one <c>pwrite</c> per <see cref="MaxWrite"/> bytes), since start.</summary>
    public static long BuffersWritten => Interlocked.Read(ref _buffersWritten);

    /// <summary>Registers the VFS with the SQLite library Microsoft.Data.Sqlite uses, once.</summary>
    /// <returns>False when that library is not the bundled <c>e_sqlite3</c>, or its default VFS is not one this VFS can
    /// wrap; the caller then opens its connection without it.</returns>
    public static bool TryRegister()
    {
        lock (RegisterLock)
        {
            return _registered ??= Register();
        }
    }

    private static bool Register()
    {
        SQLitePCL.Batteries_V2.Init();
        if (SQLitePCL.raw.GetNativeLibraryName() != "e_sqlite3"
            || !NativeLibrary.TryLoad("e_sqlite3", typeof(SQLitePCL.raw).Assembly, null, out var library)
            || !NativeLibrary.TryGetExport(library, "sqlite3_vfs_find", out var findExport)
            || !NativeLibrary.TryGetExport(library, "sqlite3_vfs_register", out var registerExport))
        {
            return false;
        }

        var find = (delegate* unmanaged[Cdecl]<byte*, Vfs*>)findExport;
        var register = (delegate* unmanaged[Cdecl]<Vfs*, int, int>)registerExport;
        var unix = find(null);
        if (unix is null || unix->iVersion < 3)
        {
            return false;
        }

        var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
        methods->iVersion = 1; // a log file has no shared memory and is never memory-mapped
        methods->xClose = &Close;
        methods->xRead = &Read;
        methods->xWrite = &Write;
        methods->xTruncate = &Truncate;
        methods->xSync = &Sync;
        methods->xFileSize = &FileSize;
        methods->xLock = &Lock;
        methods->xUnlock = &Unlock;
        methods->xCheckReservedLock = &CheckReservedLock;
        methods->xFileControl = &FileControl;
        methods->xSectorSize = &SectorSize;
        methods->xDeviceCharacteristics = &DeviceCharacteristics;

        // The other members are unix's own: they do not read the VFS they are called with beyond what the copy carries.
        var vfs = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
        *vfs = *unix;
        vfs->pNext = null;
        vfs->szOsFile = unix->szOsFile + sizeof(LogFile);
        vfs->zName = (byte*)Marshal.StringToCoTaskMemUTF8(Name);
        vfs->xOpen = &Open;
        _unix = unix;
        _methods = methods;
        return register(vfs, 0) == SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Open(Vfs* vfs, byte* name, File* file, int flags, int* outFlags)
    {
        if ((flags & SqliteOpenWal) == 0)
        {
            return _unix->xOpen(_unix, name, file, flags, outFlags);
        }

        var log = (LogFile*)file;
        log->pMethods = null;
        log->buffer = null;
        try
        {
            log->buffer = (LogBuffer*)NativeMemory.AllocZeroed((nuint)sizeof(LogBuffer));
            log->buffer->data = (byte*)NativeMemory.Alloc(BufferCapacity);
        }
        catch (OutOfMemoryException)
        {
            Free(log);
            return SqliteNoMem;
        }

        var rc = _unix->xOpen(_unix, name, Inner(log), flags, outFlags);
        if (rc != SqliteOk)
        {
            Free(log);
            return rc;
        }

        log->pMethods = _methods;
        return SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(File* file, void* data, int amount, long offset)
    {
        var log = (LogFile*)file;
        var buffer = log->buffer;
        if (amount == FrameHeaderSize && offset >= 32 && buffer->pendingHeader == 0)
        {
            // A frame header. Room is kept for the largest page after it, so the page always joins it.
            if (buffer->length > 0 && (offset != buffer->offset + buffer->length || buffer->length + FrameHeaderSize + MaxPageSize > BufferCapacity))
            {
                var flushed = Flush(log);
                if (flushed != SqliteOk)
                {
                    return flushed;
                }
            }

            Append(buffer, data, amount, offset);
            buffer->pendingHeader = 1;
            var truncate = (byte*)data + 4; // the database size after a commit; zero in every frame but a commit's last
            buffer->commit = truncate[0] | truncate[1] | truncate[2] | truncate[3];
            return SqliteOk;
        }

        if (buffer->pendingHeader != 0 && offset == buffer->offset + buffer->length && amount <= MaxPageSize)
        {
            Append(buffer, data, amount, offset);
            buffer->pendingHeader = 0;
            Interlocked.Increment(ref _framesBuffered);
            return buffer->commit != 0 ? Flush(log) : SqliteOk;
        }

        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xWrite(Inner(log), data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Close(File* file)
    {
        var log = (LogFile*)file;
        var flushed = Flush(log);
        var rc = Inner(log)->pMethods->xClose(Inner(log));
        Free(log);
        return flushed != SqliteOk ? flushed : rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(File* file, void* data, int amount, long offset)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xRead(Inner(log), data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Truncate(File* file, long size)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xTruncate(Inner(log), size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Sync(File* file, int flags)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xSync(Inner(log), flags);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FileSize(File* file, long* size)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xFileSize(Inner(log), size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Lock(File* file, int level)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xLock(Inner(log), level);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Unlock(File* file, int level)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xUnlock(Inner(log), level);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CheckReservedLock(File* file, int* reserved)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xCheckReservedLock(Inner(log), reserved);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FileControl(File* file, int op, void* argument)
    {
        var log = (LogFile*)file;
        var rc = Flush(log);
        return rc != SqliteOk ? rc : Inner(log)->pMethods->xFileControl(Inner(log), op, argument);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SectorSize(File* file) =>
        Inner((LogFile*)file)->pMethods->xSectorSize(Inner((LogFile*)file));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int DeviceCharacteristics(File* file) =>
        Inner((LogFile*)file)->pMethods->xDeviceCharacteristics(Inner((LogFile*)file));

    /// <summary>Writes the buffer, if it holds anything, with one call per <see cref="MaxWrite"/> bytes, and empties it whether or not the write
    /// succeeded: a failed write fails the transaction, which SQLite then rolls back, and frames past the last commit are
    /// never read.</summary>
    private static int Flush(LogFile* log)
    {
        var buffer = log->buffer;
        if (buffer->length == 0)
        {
            return SqliteOk;
        }

        var rc = SqliteOk;
        for (var written = 0; written < buffer->length && rc == SqliteOk; written += MaxWrite)
        {
            rc = Inner(log)->pMethods->xWrite(Inner(log), buffer->data + written, Math.Min(MaxWrite, buffer->length - written), buffer->offset + written);
        }

        buffer->length = 0;
        buffer->pendingHeader = 0;
        buffer->commit = 0;
        Interlocked.Increment(ref _buffersWritten);
        return rc;
    }

    private static void Append(LogBuffer* buffer, void* data, int amount, long offset)
    {
        if (buffer->length == 0)
        {
            buffer->offset = offset;
        }

        Buffer.MemoryCopy(data, buffer->data + buffer->length, BufferCapacity - buffer->length, amount);
        buffer->length += amount;
    }

    private static File* Inner(LogFile* log) => (File*)(log + 1);

    private static void Free(LogFile* log)
    {
        if (log->buffer is not null)
        {
            NativeMemory.Free(log->buffer->data); // Free(null) does nothing
            NativeMemory.Free(log->buffer);
            log->buffer = null;
        }
    }

    /// <summary><c>sqlite3_vfs</c>, version 3.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Vfs
    {
        public int iVersion;
        public int szOsFile;
        public int mxPathname;
        public Vfs* pNext;
        public byte* zName;
        public void* pAppData;
        public delegate* unmanaged[Cdecl]<Vfs*, byte*, File*, int, int*, int> xOpen;
        public nint xDelete, xAccess, xFullPathname, xDlOpen, xDlError, xDlSym, xDlClose, xRandomness, xSleep, xCurrentTime,
            xGetLastError, xCurrentTimeInt64, xSetSystemCall, xGetSystemCall, xNextSystemCall;
    }

    /// <summary><c>sqlite3_io_methods</c>, version 1 members (a version 3 table is read only as far as these).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoMethods
    {
        public int iVersion;
        public delegate* unmanaged[Cdecl]<File*, int> xClose;
        public delegate* unmanaged[Cdecl]<File*, void*, int, long, int> xRead;
        public delegate* unmanaged[Cdecl]<File*, void*, int, long, int> xWrite;
        public delegate* unmanaged[Cdecl]<File*, long, int> xTruncate;
        public delegate* unmanaged[Cdecl]<File*, int, int> xSync;
        public delegate* unmanaged[Cdecl]<File*, long*, int> xFileSize;
        public delegate* unmanaged[Cdecl]<File*, int, int> xLock;
        public delegate* unmanaged[Cdecl]<File*, int, int> xUnlock;
        public delegate* unmanaged[Cdecl]<File*, int*, int> xCheckReservedLock;
        public delegate* unmanaged[Cdecl]<File*, int, void*, int> xFileControl;
        public delegate* unmanaged[Cdecl]<File*, int> xSectorSize;
        public delegate* unmanaged[Cdecl]<File*, int> xDeviceCharacteristics;
    }

    /// <summary><c>sqlite3_file</c>: the methods table comes first in every file object.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct File
    {
        public IoMethods* pMethods;
    }

    /// <summary>A log file of this VFS: its methods and buffer, then unix's file object.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LogFile
    {
        public IoMethods* pMethods;
        public LogBuffer* buffer;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct LogBuffer
    {
        public byte* data;
        public long offset;
        public int length;
        public int pendingHeader;
        public int commit;
    }
}
