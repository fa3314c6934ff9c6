namespace ViralityDashboard.Data.Import;

/// <summary>
/// A stream that is only read, front to back: what the importer's wrapping streams (and test sources) have in
/// common. A subclass supplies <see cref="Stream.Read(byte[], int, int)"/> and, where it matters, the async reads.
/// </summary>
public abstract class ForwardReadStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
