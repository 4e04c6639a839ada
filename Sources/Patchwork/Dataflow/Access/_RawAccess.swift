/// The runtime's type-erased form of an access, with what submission needs cached.
///
/// It names its resource by address, not by an existential: copying or dropping it counts no
/// reference and calls no value witness. The fixed-arity `submit` forms point it at the resource
/// of the caller's `Access` for the duration of the call (no owner); an access that outlives the
/// call that made it (arrays of accesses, footprints) keeps the resource in its `owner`.
@usableFromInline
internal struct _RawAccess: @unchecked Sendable {
    /// Keeps the resource at `resourceAddress` alive, or nil when the caller does.
    @usableFromInline let owner: _ResourceList?
    /// Where the resource is: a value of `resourceType`, or an `any DataflowResource` when
    /// `resourceType` is nil.
    @usableFromInline let resourceAddress: UnsafeRawPointer
    @usableFromInline let resourceType: (any DataflowResource.Type)?
    @usableFromInline let identity: ObjectIdentifier
    @usableFromInline let box: DataflowBox
    @usableFromInline let mode: AccessMode
    @usableFromInline let spaceManaged: Bool
    /// True when `box` lies in the resource's bounds (checked at submission).
    @usableFromInline let inBounds: Bool
    /// True when the resource's home space is the host.
    @usableFromInline let homeIsHost: Bool

    /// An access to the resource at `address`, which the caller keeps alive and unchanged while
    /// the access is used.
    @inlinable @inline(__always)
    init<R: DataflowResource>(_ address: UnsafePointer<R>, box: DataflowBox, mode: AccessMode) {
        self.init(reading: address, at: UnsafeRawPointer(address), of: R.self, owner: nil, box: box, mode: mode)
    }

    /// An access that holds its own reference to `resource`.
    @inlinable
    init<R: DataflowResource>(resource: R, box: DataflowBox, mode: AccessMode) {
        self.init(resource, heldBy: _ResourceList.holding([resource]), at: 0, box: box, mode: mode)
    }

    /// An access to `resource`, which `list` holds as its resource number `k`.
    @inlinable
    init<R: DataflowResource>(_ resource: R, heldBy list: _ResourceList, at k: Int, box: DataflowBox, mode: AccessMode) {
        self = withUnsafePointer(to: resource) { resource in
            _RawAccess(reading: resource, at: UnsafeRawPointer(list.address(of: k)), of: nil, owner: list, box: box, mode: mode)
        }
    }

    /// An access whose cached fields are read from the resource at `source`, and which names it
    /// at `address` (a value of `type`, or an `any DataflowResource` when `type` is nil).
    @inlinable @inline(__always)
    init<R: DataflowResource>(
        reading source: UnsafePointer<R>, at address: UnsafeRawPointer, of type: (any DataflowResource.Type)?,
        owner: _ResourceList?, box: DataflowBox, mode: AccessMode
    ) {
        self.owner = owner
        self.resourceAddress = address
        self.resourceType = type
        self.identity = source.pointee.dataflowIdentity
        self.box = box
        self.inBounds = source.pointee.dataflowBounds.dataflowBox.contains(box)
        self.mode = mode
        self.spaceManaged = source.pointee.isSpaceManaged
        self.homeIsHost = source.pointee.homeSpace == .host
    }

    /// The resource (a copy of the caller's, or of the one the owner holds).
    var resource: any DataflowResource {
        guard let resourceType else { return resourceAddress.assumingMemoryBound(to: (any DataflowResource).self).pointee }
        return Self.load(resourceType, from: resourceAddress)
    }

    private static func load<R: DataflowResource>(_ type: R.Type, from address: UnsafeRawPointer) -> any DataflowResource {
        address.assumingMemoryBound(to: R.self).pointee
    }

    /// The resource's bounds, for messages.
    var boundsDescription: String { Self.bounds(of: resource).description }

    private static func bounds<R: DataflowResource>(of resource: R) -> DataflowBox {
        resource.dataflowBounds.dataflowBox
    }
}

/// Resources kept for accesses that outlive the call that made them, at addresses that stay put
/// while the list lives.
@usableFromInline
internal final class _ResourceList: ManagedBuffer<Int, any DataflowResource> {
    /// A list holding `resources`, in order.
    @usableFromInline
    static func holding(_ resources: [any DataflowResource]) -> _ResourceList {
        let list = unsafeDowncast(_ResourceList.create(minimumCapacity: resources.count) { _ in 0 }, to: _ResourceList.self)
        list.withUnsafeMutablePointers { count, elements in
            _ = UnsafeMutableBufferPointer(start: elements, count: resources.count).initialize(from: resources)
            count.pointee = resources.count
        }
        return list
    }

    /// The address of resource number `k`.
    @usableFromInline
    func address(of k: Int) -> UnsafePointer<any DataflowResource> {
        withUnsafeMutablePointerToElements { UnsafePointer($0 + k) }
    }

    deinit {
        _ = withUnsafeMutablePointers { count, resources in resources.deinitialize(count: count.pointee) }
    }
}
